/**
 * RSL → JobSpec: the GRAM front door's reading of a job description. As in the GT5 job
 * manager (`globus_gram_job_manager_validate.c`), a job is one `&` of relations; attribute
 * names compare lower-cased with underscores removed (GCT's
 * `globus_rsl_assist_string_canonicalize`: maxWallTime = max_wall_time = MAXWALLTIME).
 * Values are taken exactly as written: nothing here splits words or meets a shell.
 */
import type { JobSpec } from '../../common/job.ts';
import { gramError } from '../errors.ts';
import * as rule from '../description/job-values.ts';
import { RslScope } from './evaluate-rsl.ts';
import type { RslNode, RslRelation } from './rsl-ast.ts';
import { parseRsl } from './parse-rsl.ts';
import {
  readNonEmpty,
  readPairs,
  readSingle,
  readText,
  readWholeNumber,
  readYesNo,
  rslBadValue,
  showValue,
  type RslAttributeValue as Attr,
} from './read-rsl-values.ts';
import { describeRslLocation, locateRsl } from './tokenize-rsl.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Attributes that are checked but have no JobSpec field of their own. */
interface Extras {
  maxTime?: number;
  minMemory?: number;
  dryRun?: boolean;
  /** As written; made an ISO time against the submission time once everything else is read. */
  deadline?: string;
}

type Handler = (attr: Attr, spec: Mutable<JobSpec>, extras: Extras) => void;

/** Keyed by canonical name; the display name is how messages and docs spell it. */
const { COUNT_MAX, INT_MAX } = rule;

const HANDLERS: Readonly<Record<string, readonly [display: string, handler: Handler]>> = {
  executable: ['executable', (a, s) => (s.executable = readNonEmpty(a))],
  arguments: ['arguments', (a, s) => (s.arguments = a.values.map((v) => readText(a, v)))],
  environment: ['environment', (a, s) => (s.environment = readEnvironment(a))],
  directory: ['directory', (a, s) => (s.directory = readNonEmpty(a))],
  stdin: ['stdin', (a, s) => (s.stdin = readNonEmpty(a))],
  stdout: ['stdout', (a, s) => (s.stdout = readNonEmpty(a))],
  stderr: ['stderr', (a, s) => (s.stderr = readNonEmpty(a))],
  count: ['count', (a, s) => (s.count = readWholeNumber(a, COUNT_MAX))],
  // Checked so that a mistake is caught, but sites spread processes over hosts themselves.
  hostcount: ['hostCount', (a) => void readWholeNumber(a, COUNT_MAX)],
  maxwalltime: ['maxWallTime', (a, s) => (s.maxWallTime = readWholeNumber(a, INT_MAX))],
  // GRAM's maxTime is wall or CPU time as the scheduler likes; Weft sites limit wall time.
  maxtime: ['maxTime', (a, _s, e) => (e.maxTime = readWholeNumber(a, INT_MAX))],
  // Checked only: no Weft site can limit CPU time yet.
  maxcputime: ['maxCpuTime', (a) => void readWholeNumber(a, INT_MAX)],
  maxmemory: ['maxMemory', (a, s) => (s.maxMemory = readWholeNumber(a, INT_MAX))],
  // Checked only (and against maxMemory): sites do not reserve memory yet.
  minmemory: ['minMemory', (a, _s, e) => (e.minMemory = readWholeNumber(a, INT_MAX))],
  queue: ['queue', (a, s) => (s.queue = readNonEmpty(a))],
  project: ['project', (a, s) => (s.project = readNonEmpty(a))],
  jobtype: ['jobType', (a) => void readByRule(a, rule.jobType)],
  requirements: ['requirements', (a, s) => (s.requirements = readSingle(a))],
  rank: ['rank', (a, s) => (s.rank = readSingle(a))],
  dryrun: ['dryRun', (a, _s, e) => (e.dryRun = readYesNo(a))],
  rslsubstitution: ['rsl_substitution', () => undefined], // applied by RslScope.define
  // Economic brokering (services/broker/README.md): Weft's own attributes, not GRAM's.
  budget: ['budget', (a, s) => (s.budget = readByRule(a, rule.budget))],
  deadline: ['deadline', (a, _s, e) => (e.deadline = readSingle(a))],
  optimise: ['optimise', (a, s) => (s.optimise = readByRule(a, rule.optimise))],
};

/** The attribute names `rslToJobSpec` accepts, spelled as GRAM documents them. */
export const SUPPORTED_RSL_ATTRIBUTES: readonly string[] = Object.values(HANDLERS).map(
  ([display]) => display,
);

// Real GRAM attributes (GT5 globus-gram-job-manager.rvf, GT2) that Weft does not implement.
const GRAM_ONLY = new Set(
  [
    'gram_my_job save_state two_phase remote_io_url scratch_dir restart stdout_position',
    'stderr_position file_stage_in file_stage_in_shared file_stage_out file_clean_up',
    'gass_cache proxy_timeout library_path username restartcontacts savejobdescription',
    'start_time reservation_handle paradyn',
  ]
    .join(' ')
    .split(' ')
    .map(canonical),
);

function canonical(name: string): string {
  return name.toLowerCase().replaceAll('_', '');
}

/**
 * Reads a GRAM RSL job description into the internal JobSpec. Throws GRAM_EMPTY_DESCRIPTION,
 * GRAM_RSL_SYNTAX, GRAM_RSL_UNKNOWN_ATTRIBUTE, GRAM_RSL_BAD_VALUE, GRAM_RSL_MISSING_EXECUTABLE,
 * and, for a valid `(dryRun=yes)` description, GRAM_DRY_RUN (GT's "dry run succeeded" reply).
 */
export function rslToJobSpec(text: string, now: number = Date.now()): JobSpec {
  if (text.trim() === '') throw gramError('GRAM_EMPTY_DESCRIPTION', 'the job description is empty');
  const relations = jobRelations(text, parseRsl(text));
  const spec: Mutable<JobSpec> = { executable: '', arguments: [], environment: {}, count: 1 };
  const extras: Extras = {};
  const scope = new RslScope(text);
  const seen = new Map<string, number>();

  for (const relation of relations) {
    const { attribute, operator, at } = relation;
    const key = canonical(attribute);
    const entry = HANDLERS[key];
    if (!entry) throw unknownAttribute(text, relation);
    if (operator !== '=') {
      throw rslBadValue(text, attribute, at, (w) =>
        `the RSL relation '${attribute}${operator}…' at ${w} uses '${operator}', ` +
        `but job attributes take '=' only`,
      );
    }
    const earlier = seen.get(key);
    // Several rsl_substitution relations are normal: GT clients add their own.
    if (earlier !== undefined && key !== 'rslsubstitution') {
      throw rslBadValue(text, attribute, at, (w) =>
        `the RSL gives the attribute '${attribute}' twice, at ` +
        `${describeRslLocation(text, earlier)} and again at ${w}`,
      );
    }
    seen.set(key, at);
    const values = scope.evaluate(attribute, relation.values);
    const attr: Attr = { name: attribute, values, at, source: text };
    if (key === 'rslsubstitution') scope.define(attr);
    else entry[1](attr, spec, extras);
  }

  if (!seen.has('executable')) {
    throw gramError(
      'GRAM_RSL_MISSING_EXECUTABLE',
      'the RSL has no (executable=…) relation, so there is nothing to run',
    );
  }
  if (spec.maxWallTime === undefined && extras.maxTime !== undefined) {
    spec.maxWallTime = extras.maxTime;
  }
  const { minMemory } = extras;
  if (minMemory !== undefined && spec.maxMemory !== undefined && minMemory > spec.maxMemory) {
    throw rslBadValue(text, 'minMemory', seen.get('minmemory') ?? 0, (w) =>
      `the RSL asks for minMemory=${minMemory} (at ${w}), more than its ` +
      `maxMemory=${spec.maxMemory}`,
    );
  }
  if (extras.deadline !== undefined) {
    const raw = extras.deadline;
    const deadline = rule.deadline(raw, now);
    if (!deadline.ok) {
      throw rslBadValue(text, 'deadline', seen.get('deadline') ?? 0, (w) =>
        `the RSL deadline ${showValue(raw)} at ${w} ${deadline.why}`, { value: raw },
      );
    }
    spec.deadline = deadline.value;
  }
  if (extras.dryRun) {
    throw gramError(
      'GRAM_DRY_RUN',
      'the description asked for a dry run (dryRun=yes), so it was checked and not submitted',
      { executable: spec.executable },
    );
  }
  return spec;
}

/** A job is one `&` over relations; anything else is refused, saying why. */
function jobRelations(text: string, root: RslNode): readonly RslRelation[] {
  const refuse = (at: number, message: (where: string) => string) =>
    gramError('GRAM_RSL_SYNTAX', message(describeRslLocation(text, at)), {
      ...locateRsl(text, at),
    });
  if (root.kind === 'relation') {
    throw refuse(root.at, (w) =>
      `the RSL is a bare relation (at ${w}), not a job; write it as ` +
      `&(${root.attribute}${root.operator}…), one (attribute=value) per attribute`,
    );
  }
  if (root.operator === '+') {
    throw refuse(root.at, () =>
      'the RSL is a multi-request (+), and multi-requests are not supported yet; ' +
      'submit each &(…) request as its own job',
    );
  }
  if (root.operator === '|') {
    throw refuse(root.at, () =>
      'the RSL is a disjunction (|), which does not describe a job; a job is one &(…)(…)',
    );
  }
  return root.operands.map((operand) => {
    if (operand.kind === 'relation') return operand;
    throw refuse(operand.at, (w) =>
      `the RSL nests a '${operand.operator}' at ${w} inside the job's '&', but a job ` +
      'description holds only (attribute=value) relations' +
      (operand.operator === '+' ? ', and multi-requests are not supported yet' : ''),
    );
  });
}

function unknownAttribute(text: string, relation: RslRelation) {
  const where = describeRslLocation(text, relation.at);
  const what = GRAM_ONLY.has(canonical(relation.attribute))
    ? 'is a GRAM attribute that Weft does not support'
    : 'is not an attribute Weft knows';
  return gramError(
    'GRAM_RSL_UNKNOWN_ATTRIBUTE',
    `the RSL attribute '${relation.attribute}' (at ${where}) ${what}; ` +
      `the supported attributes are ${SUPPORTED_RSL_ATTRIBUTES.join(', ')}`,
    { attribute: relation.attribute, ...locateRsl(text, relation.at) },
  );
}

function readEnvironment(attr: Attr): Record<string, string> {
  // A Map, then fromEntries: a plain object would swallow a variable named __proto__.
  const env = new Map<string, string>();
  for (const [name, value] of readPairs(attr, '(environment=(PATH /bin)(LANG C))')) {
    const valid = rule.environmentName(name.text);
    if (!valid.ok) {
      throw rslBadValue(
        attr.source,
        attr.name,
        name.at,
        (w) => `the RSL environment variable name ${showValue(name.text)} at ${w} ${valid.why}`,
        { value: name.text },
      );
    }
    if (env.has(name.text)) {
      throw rslBadValue(attr.source, attr.name, name.at, (w) =>
        `the RSL sets the environment variable ${name.text} twice (the second time at ${w})`,
      );
    }
    env.set(name.text, value);
  }
  return Object.fromEntries(env);
}

/** One value read by a shared rule (description/job-values.ts): "the RSL budget "-1" at column 9 is negative…". */
function readByRule<T>(attr: Attr, read: (raw: string) => rule.Reading<T>): T {
  const raw = readSingle(attr);
  const reading = read(raw);
  if (reading.ok) return reading.value;
  throw rslBadValue(attr.source, attr.name, attr.at, (w) => `the RSL ${attr.name} ${showValue(raw)} at ${w} ${reading.why}`, {
    value: raw,
  });
}
