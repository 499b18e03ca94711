/**
 * The job as `my` in matchmaking expressions (DESIGN.md, Information model): Owner (the DN),
 * VO (RSL `project`), Count, MaxWallTime (minutes), MaxMemory (MB), Executable, Queue. What the
 * job did not give is UNDEFINED.
 */
import type { JobSpec } from '../../common/job.ts';
import { integerValue, stringValue } from './expression/value.ts';
import type { Ad } from './expression/ad.ts';
import type { Value } from './expression/value.ts';

export interface MatchJob {
  /** The submitter's DN. */
  readonly owner: string;
  readonly spec: JobSpec;
}

const optionalInteger = (n: number | undefined): Value | undefined => (n === undefined ? undefined : integerValue(n));
const optionalString = (s: string | undefined): Value | undefined => (s === undefined ? undefined : stringValue(s));

export function jobAd(job: MatchJob): Ad {
  const { spec } = job;
  // Few attributes and read at every site: built once per decision.
  const values = new Map<string, Value>();
  const put = (name: string, value: Value | undefined) => value && values.set(name, value);
  put('owner', stringValue(job.owner));
  put('vo', optionalString(spec.project));
  put('count', integerValue(spec.count));
  put('maxwalltime', optionalInteger(spec.maxWallTime));
  put('maxmemory', optionalInteger(spec.maxMemory));
  put('executable', stringValue(spec.executable));
  put('queue', optionalString(spec.queue));
  return { lookup: (key) => values.get(key) };
}
