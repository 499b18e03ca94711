/**
 * What one ended job cost, worked out from its record alone. Wall time runs from the job's last
 * `Active` on the site it ended on to its last state change. The fork LRMS cannot measure a
 * child's CPU time (no rusage of an arbitrary process group, and wrapping jobs in `time` is not
 * allowed), so CPU seconds are an estimate: wall seconds × slots (`count`) — what the site
 * reserved for the job, which is also what a site bills for. Cost = price per CPU-hour published
 * by the site at placement × CPU hours.
 */
import type { JobRecord } from '../../common/job.ts';

export interface UsageRecord {
  readonly jobId: string;
  readonly owner: string;
  /** The job's VO (`project`), or '' when it gave none. */
  readonly vo: string;
  /** Where it ran (or last was placed); '' when it never left the broker. */
  readonly site: string;
  readonly state: 'Done' | 'Failed';
  /** ISO times; `startedAt` is '' when the job never started. */
  readonly startedAt: string;
  readonly endedAt: string;
  readonly wallSeconds: number;
  /** Estimated: wall seconds × count (see above). */
  readonly cpuSeconds: number;
  readonly pricePerCpuHour: number;
  readonly cost: number;
  readonly exitCode?: number;
  readonly failureCode?: string;
}

/** The dimensions usage is totalled in. */
export type UsageDimension = 'user' | 'vo' | 'site';

/** How a record is keyed in each dimension of the totals. */
export function totalsNames(record: Pick<UsageRecord, 'owner' | 'vo' | 'site'>): Record<UsageDimension, string> {
  return { user: record.owner, vo: record.vo || '(none)', site: record.site || '(none)' };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The usage record of an ended job; undefined when the job has not ended. */
export function usageRecordOf(job: JobRecord): UsageRecord | undefined {
  if (job.state !== 'Done' && job.state !== 'Failed') return undefined;
  const endedAt = job.history.at(-1)?.at ?? new Date().toISOString();
  const by = job.site === undefined ? undefined : `site:${job.site}`;
  const started = [...job.history].reverse().find((entry) => entry.state === 'Active' && entry.by === by);
  const wallSeconds = started ? Math.max(0, round((Date.parse(endedAt) - Date.parse(started.at)) / 1000, 3)) : 0;
  const cpuSeconds = round(wallSeconds * job.spec.count, 3);
  const pricePerCpuHour = job.pricePerCpuHour ?? 0;
  return {
    jobId: job.id,
    owner: job.owner,
    vo: job.spec.project ?? '',
    site: job.site ?? '',
    state: job.state,
    startedAt: started?.at ?? '',
    endedAt,
    wallSeconds,
    cpuSeconds,
    pricePerCpuHour,
    cost: round((pricePerCpuHour * cpuSeconds) / 3600, 6),
    ...(job.exitCode === undefined ? {} : { exitCode: job.exitCode }),
    ...(job.failureCode === undefined ? {} : { failureCode: job.failureCode }),
  };
}
