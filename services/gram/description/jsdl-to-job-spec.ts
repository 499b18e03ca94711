/**
 * JSDL 1.0 (GFD.56) → JobSpec: `JobDefinition/JobDescription` with `JobIdentification`,
 * `Application/POSIXApplication` (or the HPC Basic Profile's `HPCProfileApplication`), `Resources`
 * (jsdl-resources.ts) and Weft's extension elements (job-extensions.ts). Values go through the
 * same rules as RSL (job-values.ts); what Weft cannot honour (DataStaging, POSIX limits other
 * than wall time, memory and CPU time, file systems, user names) is refused by name.
 *
 *   Executable, Argument, Input/Output/Error, WorkingDirectory, Environment@name
 *                          → executable, arguments, stdin/stdout/stderr, directory, environment
 *   WallTimeLimit (s)      → maxWallTime (minutes, rounded up)
 *   MemoryLimit (bytes)    → maxMemory (MB, rounded up); CPUTimeLimit is checked only
 *   JobProject             → project (the VO)
 */
import { parseJobExpressions } from '../../broker/index.ts';
import type { JobSpec } from '../../common/job.ts';
import { gramError } from '../errors.ts';
import { JOB_EXTENSIONS_NAMESPACE, readExtension, type Mutable } from './job-extensions.ts';
import * as rule from './job-values.ts';
import { JSDL_HPCPA_NAMESPACE, JSDL_NAMESPACE, JSDL_POSIX_NAMESPACE } from './jsdl-namespaces.ts';
import { readJsdlResources, scaledWholeNumber, type JsdlResources } from './jsdl-resources.ts';
import {
  badValue,
  checkAttributes,
  nonEmptyText,
  readByRule,
  SeenOnce,
  textOf,
  unsupported,
  type XmlSource,
} from './read-xml-values.ts';
import type { XmlElement } from './read-xml.ts';

interface JsdlJob {
  readonly source: XmlSource;
  readonly spec: Mutable<JobSpec>;
  readonly seen: SeenOnce;
  readonly now: number;
  readonly environment: Map<string, string>;
  resources: JsdlResources;
  /** Where maxMemory came from, to refuse a second, different one. */
  memoryFrom?: XmlElement;
}

const POSIX_LIMITS_NOT_APPLIED = new Set([
  'FileSizeLimit',
  'CoreDumpLimit',
  'DataSegmentLimit',
  'LockedMemoryLimit',
  'OpenDescriptorsLimit',
  'PipeSizeLimit',
  'StackSizeLimit',
  'ProcessCountLimit',
  'VirtualMemoryLimit',
  'ThreadCountLimit',
]);

/**
 * Reads a JSDL `JobDefinition` element (already parsed by readXml) into a JobSpec. Throws
 * GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT, _BAD_VALUE, _MISSING_EXECUTABLE, and BROKER_EXPRESSION_*
 * for a requirements extension that does not parse (before JSDL's own clauses are added to it).
 */
export function jsdlToJobSpec(root: XmlElement, text: string, now: number): JobSpec {
  const source: XmlSource = { text, format: 'JSDL document' };
  const job: JsdlJob = {
    source,
    spec: { executable: '', arguments: [], environment: {}, count: 1 },
    seen: new SeenOnce(source),
    now,
    environment: new Map(),
    resources: { clauses: [] },
  };
  checkAttributes(source, root, ['id']);
  if (root.text.trim() !== '') throw badValue(source, root, 'holds text outside its elements');
  const [description, extra] = root.children;
  if (!description || description.uri !== JSDL_NAMESPACE || description.local !== 'JobDescription') {
    throw badValue(source, root, 'must hold one <jsdl:JobDescription>');
  }
  if (extra) throw unsupported(source, extra, `follows the JobDescription; a JobDefinition holds one JobDescription only`);
  readJobDescription(job, description);
  return finish(job, root);
}

function readJobDescription(job: JsdlJob, description: XmlElement): void {
  const { source } = job;
  checkAttributes(source, description);
  if (description.text.trim() !== '') throw badValue(source, description, 'holds text outside its elements');
  for (const element of description.children) {
    if (element.uri === JOB_EXTENSIONS_NAMESPACE) {
      checkAttributes(source, element);
      readExtension(source, element, ['requirements', 'rank', 'budget', 'deadline', 'optimise', 'queue'], job.seen, job.spec, job.now);
      continue;
    }
    if (element.uri !== JSDL_NAMESPACE) {
      throw unsupported(
        source,
        element,
        `is an extension in the namespace "${element.uri}"; Weft reads only its own (${JOB_EXTENSIONS_NAMESPACE})`,
      );
    }
    if (element.local === 'DataStaging') {
      throw unsupported(source, element, 'asks for file staging, which Weft does not do yet; put the files on the site first');
    }
    job.seen.check(element);
    if (element.local === 'JobIdentification') readIdentification(job, element);
    else if (element.local === 'Application') readApplication(job, element);
    else if (element.local === 'Resources') {
      job.resources = readJsdlResources(source, element);
      if (job.resources.maxMemory !== undefined) setMemory(job, element, job.resources.maxMemory);
    } else {
      throw unsupported(source, element, 'is not an element of a JSDL JobDescription');
    }
  }
}

/** JobName, Description and JobAnnotation are for people and are not kept; JobProject is the VO. */
function readIdentification(job: JsdlJob, identification: XmlElement): void {
  const { source } = job;
  checkAttributes(source, identification);
  for (const element of identification.children) {
    if (element.uri !== JSDL_NAMESPACE || !['JobName', 'Description', 'JobAnnotation', 'JobProject'].includes(element.local)) {
      throw unsupported(source, element, 'is not read inside a JobIdentification');
    }
    checkAttributes(source, element);
    if (element.local === 'JobProject') {
      job.seen.check(element);
      job.spec.project = nonEmptyText(source, element);
    } else {
      textOf(source, element);
    }
  }
}

function readApplication(job: JsdlJob, application: XmlElement): void {
  const { source } = job;
  checkAttributes(source, application);
  let program: XmlElement | undefined;
  for (const element of application.children) {
    const isProgram =
      (element.uri === JSDL_POSIX_NAMESPACE && element.local === 'POSIXApplication') ||
      (element.uri === JSDL_HPCPA_NAMESPACE && element.local === 'HPCProfileApplication');
    if (isProgram && !program) {
      program = element;
      readPosixApplication(job, element);
    } else if (element.uri === JSDL_NAMESPACE && ['ApplicationName', 'ApplicationVersion', 'Description'].includes(element.local)) {
      checkAttributes(source, element);
      textOf(source, element); // for people; not kept
    } else {
      throw unsupported(
        source,
        element,
        'is not an application Weft runs; it runs one jsdl-posix:POSIXApplication (or an HPC Basic Profile ' +
          'HPCProfileApplication)',
      );
    }
  }
}

function readPosixApplication(job: JsdlJob, application: XmlElement): void {
  const { source, spec } = job;
  checkAttributes(source, application, ['name']);
  if (application.text.trim() !== '') throw badValue(source, application, 'holds text outside its elements');
  for (const element of application.children) {
    if (element.uri !== application.uri) {
      throw unsupported(source, element, `is not in the namespace of <${application.name}>, so it is not one of its elements`);
    }
    const local = element.local;
    if (POSIX_LIMITS_NOT_APPLIED.has(local)) {
      throw unsupported(source, element, 'is a limit Weft sites do not apply; they apply WallTimeLimit and MemoryLimit');
    }
    if (local === 'UserName' || local === 'GroupName') {
      throw unsupported(source, element, "is not supported: the site maps the caller's DN to an account (grid-mapfile)");
    }
    checkAttributes(source, element, local === 'Environment' ? ['name'] : []);
    if (local !== 'Argument' && local !== 'Environment') job.seen.check(element);
    switch (local) {
      case 'Executable':
        spec.executable = nonEmptyText(source, element);
        break;
      case 'Argument':
        (spec.arguments as string[]).push(textOf(source, element));
        break;
      case 'Input':
        spec.stdin = nonEmptyText(source, element);
        break;
      case 'Output':
        spec.stdout = nonEmptyText(source, element);
        break;
      case 'Error':
        spec.stderr = nonEmptyText(source, element);
        break;
      case 'WorkingDirectory':
        spec.directory = nonEmptyText(source, element);
        break;
      case 'Environment':
        readEnvironment(job, element);
        break;
      case 'WallTimeLimit':
        spec.maxWallTime = readByRule(source, element, (raw) => scaledWholeNumber(raw, 60, 'seconds', 'minutes'));
        break;
      case 'MemoryLimit':
        setMemory(job, element, readByRule(source, element, (raw) => scaledWholeNumber(raw, 1024 * 1024, 'bytes', 'MB')));
        break;
      case 'CPUTimeLimit':
        // Checked only, as RSL's maxCpuTime: no Weft site can limit CPU time yet.
        readByRule(source, element, (raw) => scaledWholeNumber(raw, 60, 'seconds', 'minutes'));
        break;
      default:
        throw unsupported(source, element, `is not an element of <${application.name}>`);
    }
  }
}

function readEnvironment(job: JsdlJob, element: XmlElement): void {
  const { source } = job;
  const name = element.attributes.find((a) => a.local === 'name')?.value;
  if (name === undefined) throw badValue(source, element, 'has no name attribute (<Environment name="LANG">C</Environment>)');
  const valid = rule.environmentName(name);
  if (!valid.ok) throw badValue(source, element, `names the variable ${rule.showValue(name)}, which ${valid.why}`, { value: name });
  if (job.environment.has(name)) throw badValue(source, element, `sets the environment variable ${name} a second time`);
  job.environment.set(name, textOf(source, element));
}

/** MemoryLimit and IndividualPhysicalMemory both say maxMemory; given both, they must agree. */
function setMemory(job: JsdlJob, element: XmlElement, mb: number): void {
  const earlier = job.memoryFrom;
  if (earlier && job.spec.maxMemory !== mb) {
    throw badValue(job.source, element, `asks for ${mb} MB of memory, but <${earlier.name}> asked for ${job.spec.maxMemory} MB`);
  }
  job.memoryFrom = element;
  job.spec.maxMemory = mb;
}

function finish(job: JsdlJob, root: XmlElement): JobSpec {
  const { spec, resources } = job;
  if (!spec.executable) {
    throw gramError(
      'GRAM_DESCRIPTION_MISSING_EXECUTABLE',
      `the JSDL document <${root.name}> has no jsdl-posix:Executable, so there is nothing to run`,
    );
  }
  spec.environment = Object.fromEntries(job.environment);
  if (resources.count !== undefined) spec.count = resources.count;
  if (resources.clauses.length > 0) spec.requirements = withClauses(spec.requirements, resources.clauses);
  return spec;
}

/**
 * The job's own requirements (parsed alone first, so a mistake names its column in the text the
 * user wrote) followed by the clauses JSDL's resources add, as one `&&` chain.
 */
function withClauses(own: string | undefined, clauses: readonly string[]): string {
  if (own === undefined) return clauses.join(' && ');
  const { requirements } = parseJobExpressions({ requirements: own });
  const kind = requirements?.ast.kind;
  const needsParentheses = kind === 'conditional' || (kind === 'logical' && requirements?.ast.op === '||');
  return [needsParentheses ? `(${own.trim()})` : own.trim(), ...clauses].join(' && ');
}
