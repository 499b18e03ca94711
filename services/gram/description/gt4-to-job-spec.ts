/**
 * GT4 WS-GRAM job description → JobSpec: the `<job>` document of GT 4.0's `globusrun-ws -submit
 * -f job.xml` (schema job_description.xsd, JobDescriptionType, namespace
 * http://www.globus.org/namespaces/2004/10/gram/job/description). As globusrun-ws did, a `<job>`
 * in no namespace is read too, its children then in no namespace as well. Each element maps to
 * the RSL attribute of the same name and is checked by the same rule (job-values.ts); elements
 * Weft does not run (file staging, credential endpoints, multi-jobs…) are refused by name,
 * never dropped. Element order is not enforced.
 */
import type { JobSpec } from '../../common/job.ts';
import { gramError } from '../errors.ts';
import { JOB_EXTENSIONS_NAMESPACE, readExtension, type Mutable } from './job-extensions.ts';
import * as rule from './job-values.ts';
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

export const GT4_JOB_NAMESPACE = 'http://www.globus.org/namespaces/2004/10/gram/job/description';

type Reader = (element: XmlElement, job: Gt4Job) => void;

/** A description being read: the spec so far and the GT4 elements that have no JobSpec field. */
interface Gt4Job {
  readonly source: XmlSource;
  readonly spec: Mutable<JobSpec>;
  readonly seen: SeenOnce;
  readonly now: number;
  /** A Map, then fromEntries: a plain object would swallow a variable named __proto__. */
  readonly environment: Map<string, string>;
  maxTime?: number;
  minMemory?: number;
}

const { COUNT_MAX, INT_MAX } = rule;

/** `${GLOBUS_USER_HOME}` and the like: GT4 substituted them at the site; Weft does not. */
const GT4_VARIABLE = /\$\{GLOBUS_[A-Za-z_]*\}/;

/** Text that may not use a GT4 substitution variable (paths, arguments, environment values). */
function literal(job: Gt4Job, element: XmlElement, text: string): string {
  const variable = GT4_VARIABLE.exec(text);
  if (variable) {
    throw badValue(
      job.source,
      element,
      `uses the GT4 variable ${variable[0]}, which Weft does not substitute; write the value itself ` +
        '(a relative path is taken in the job\'s own directory)',
      { value: text },
    );
  }
  return text;
}

const path = (element: XmlElement, job: Gt4Job) => literal(job, element, nonEmptyText(job.source, element));
const whole = (max: number) => (element: XmlElement, job: Gt4Job) =>
  readByRule(job.source, element, (raw) => rule.wholeNumber(raw, max));

/** Keyed by local name; the supported elements of JobDescriptionType. */
const READERS: Readonly<Record<string, Reader>> = {
  executable: (e, j) => (j.spec.executable = path(e, j)),
  directory: (e, j) => (j.spec.directory = path(e, j)),
  argument: (e, j) => void (j.spec.arguments as string[]).push(literal(j, e, textOf(j.source, e))),
  environment: readEnvironment,
  stdin: (e, j) => (j.spec.stdin = path(e, j)),
  stdout: (e, j) => (j.spec.stdout = path(e, j)),
  stderr: (e, j) => (j.spec.stderr = path(e, j)),
  count: (e, j) => (j.spec.count = whole(COUNT_MAX)(e, j)),
  // Checked so that a mistake is caught, but sites spread processes over hosts themselves.
  hostCount: (e, j) => void whole(COUNT_MAX)(e, j),
  project: (e, j) => (j.spec.project = nonEmptyText(j.source, e)),
  queue: (e, j) => (j.spec.queue = nonEmptyText(j.source, e)),
  // As in RSL: maxTime stands for maxWallTime when that is absent; maxCpuTime is checked only.
  maxTime: (e, j) => (j.maxTime = whole(INT_MAX)(e, j)),
  maxWallTime: (e, j) => (j.spec.maxWallTime = whole(INT_MAX)(e, j)),
  maxCpuTime: (e, j) => void whole(INT_MAX)(e, j),
  maxMemory: (e, j) => (j.spec.maxMemory = whole(INT_MAX)(e, j)),
  minMemory: (e, j) => (j.minMemory = whole(INT_MAX)(e, j)),
  jobType: (e, j) => void readByRule(j.source, e, rule.jobType),
  extensions: readExtensions,
};

/** Repeatable elements; every other one may be given once. */
const REPEATABLE = new Set(['argument', 'environment']);

/** JobDescriptionType elements Weft does not run, with the reason a user is told. */
const NOT_SUPPORTED: Readonly<Record<string, string>> = {
  factoryEndpoint: 'names a factory, but the Weft broker chooses the site; leave it out',
  libraryPath: 'is a GT4 element that Weft does not support (set LD_LIBRARY_PATH with <environment>)',
  jobCredentialEndpoint: 'is not supported; pass the delegation with createManagedJob\'s delegatedCredentialEpr',
  stagingCredentialEndpoint: 'is not supported: Weft does not stage files yet',
  fileStageIn: 'asks for file staging, which Weft does not do yet; put the files on the site first',
  fileStageOut: 'asks for file staging, which Weft does not do yet; fetch the output with getStatus',
  fileCleanUp: 'asks for file clean-up, which Weft does not do yet',
  holdState: 'is not supported: Weft jobs are not held',
  localUserId: 'is not supported: the site maps the caller\'s DN to an account (grid-mapfile)',
  scratchDir: 'is not supported: each job gets a fresh directory of its own',
};

/** The GT4 elements a description may use, for messages and the README. */
export const SUPPORTED_GT4_ELEMENTS: readonly string[] = Object.keys(READERS);

/**
 * Reads a GT4 `<job>` element (already parsed by readXml) into a JobSpec. Throws
 * GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT, _BAD_VALUE or _MISSING_EXECUTABLE.
 */
export function gt4ToJobSpec(root: XmlElement, text: string, now: number): JobSpec {
  const source: XmlSource = { text, format: 'GT4 job description' };
  const job: Gt4Job = {
    source,
    spec: { executable: '', arguments: [], environment: {}, count: 1 },
    seen: new SeenOnce(source),
    now,
    environment: new Map(),
  };
  checkAttributes(source, root);
  if (root.text.trim() !== '') throw badValue(source, root, 'holds text outside its elements');
  for (const element of root.children) {
    if (element.uri !== root.uri) {
      throw unsupported(source, element, `is not in the namespace of <${root.name}> ("${root.uri}"), so it is not a GT4 element`);
    }
    const reason = NOT_SUPPORTED[element.local];
    if (reason) throw unsupported(source, element, reason);
    const read = READERS[element.local];
    if (!read) {
      throw unsupported(
        source,
        element,
        `is not an element of the GT4 job description; the supported ones are ${SUPPORTED_GT4_ELEMENTS.join(', ')}`,
      );
    }
    checkAttributes(source, element);
    if (!REPEATABLE.has(element.local)) job.seen.check(element);
    read(element, job);
  }
  job.spec.environment = Object.fromEntries(job.environment);
  return finish(job, root);
}

function finish(job: Gt4Job, root: XmlElement): JobSpec {
  const { spec, source } = job;
  if (!job.seen.has('executable')) {
    throw gramError(
      'GRAM_DESCRIPTION_MISSING_EXECUTABLE',
      `the GT4 job description <${root.name}> has no <executable>, so there is nothing to run`,
    );
  }
  if (spec.maxWallTime === undefined && job.maxTime !== undefined) spec.maxWallTime = job.maxTime;
  const { minMemory } = job;
  const minElement = job.seen.get('minMemory');
  if (minMemory !== undefined && minElement && spec.maxMemory !== undefined && minMemory > spec.maxMemory) {
    throw badValue(source, minElement, `asks for ${minMemory} MB, more than its <maxMemory> of ${spec.maxMemory} MB`);
  }
  return spec;
}

/** `<environment><name>N</name><value>V</value></environment>`, names checked, none twice. */
function readEnvironment(element: XmlElement, job: Gt4Job): void {
  const { source, environment: into } = job;
  if (element.text.trim() !== '') throw badValue(source, element, 'holds text; it takes <name> and <value>');
  let name: XmlElement | undefined;
  let value: XmlElement | undefined;
  for (const child of element.children) {
    checkAttributes(source, child);
    if (child.uri === element.uri && child.local === 'name' && !name) name = child;
    else if (child.uri === element.uri && child.local === 'value' && !value) value = child;
    else throw badValue(source, child, `is not expected inside <${element.name}>, which takes one <name> and one <value>`);
  }
  if (!name || !value) {
    throw badValue(source, element, `needs both a <name> and a <value> (e.g. <name>LANG</name><value>C</value>)`);
  }
  const variable = readByRule(source, name, rule.environmentName);
  if (into.has(variable)) throw badValue(source, name, `sets the environment variable ${variable} a second time`);
  into.set(variable, literal(job, value, textOf(source, value)));
}

/** `<extensions>`: Weft's extension elements (job-extensions.ts). */
function readExtensions(element: XmlElement, job: Gt4Job): void {
  const { source } = job;
  if (element.text.trim() !== '') throw badValue(source, element, 'holds text; it takes Weft extension elements');
  for (const child of element.children) {
    // GT4's own examples wrote extensions unqualified in an unqualified <job>; allow that there.
    const ours = child.uri === JOB_EXTENSIONS_NAMESPACE || (child.uri === '' && element.uri === '');
    if (!ours) {
      throw unsupported(
        source,
        child,
        `is in the namespace "${child.uri}"; Weft reads only its own extensions (${JOB_EXTENSIONS_NAMESPACE})`,
      );
    }
    checkAttributes(source, child);
    readExtension(source, child, ['requirements', 'rank', 'budget', 'deadline', 'optimise'], job.seen, job.spec, job.now);
  }
}
