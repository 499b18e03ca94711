/**
 * Quarantine: a site whose jobs keep failing before they start (its disk is full, its programs
 * are missing) would otherwise eat the queue, failing job after job. The rule: when
 * `quarantineFailures` jobs fail *at start* on one site within `quarantineWindowSeconds`, the site
 * gets no new jobs for `quarantineSeconds`. "At start" means the job never became `Active` on that
 * site and failed with a site fault (`SITE_…`) or `GRAM_EXECUTABLE_NOT_FOUND`. The count is a
 * sorted set of job ids, so brokers that all hear the same ending count it once.
 */
import type { JobRecord } from '../../common/job.ts';
import type { RedisClient } from '../../common/redis.ts';
import { siteQuarantineKey, siteStartFailuresKey } from '../../common/redis-keys.ts';

export interface QuarantineConfig {
  readonly quarantineFailures: number;
  readonly quarantineWindowSeconds: number;
  readonly quarantineSeconds: number;
}

/** Whether a job that ended failed at start on its site, in the sense above. */
export function failedAtStart(job: JobRecord): boolean {
  if (job.state !== 'Failed' || job.site === undefined || job.failureCode === undefined) return false;
  if (!job.failureCode.startsWith('SITE_') && job.failureCode !== 'GRAM_EXECUTABLE_NOT_FOUND') return false;
  const by = `site:${job.site}`;
  return !job.history.some((entry) => entry.state === 'Active' && entry.by === by);
}

/*
 * KEYS[1] start failures (sorted set), KEYS[2] quarantine flag
 * ARGV[1] job id, ARGV[2] now (ms), ARGV[3] window (ms), ARGV[4] threshold,
 * ARGV[5] quarantine seconds, ARGV[6] quarantine end (ISO)
 * Returns 1 when this failure put the site in quarantine.
 */
const RECORD_SCRIPT = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[6], 'EX', ARGV[5])
return 1
`;

/** Counts one start failure; returns the end of the quarantine it caused, if it caused one. */
export async function recordStartFailure(
  redis: RedisClient,
  config: QuarantineConfig,
  site: string,
  jobId: string,
  now = Date.now(),
): Promise<string | undefined> {
  const until = new Date(now + config.quarantineSeconds * 1000).toISOString();
  const result = await redis.eval(
    RECORD_SCRIPT,
    2,
    siteStartFailuresKey(site),
    siteQuarantineKey(site),
    jobId,
    String(now),
    String(config.quarantineWindowSeconds * 1000),
    String(config.quarantineFailures),
    String(config.quarantineSeconds),
    until,
  );
  return result === 1 ? until : undefined;
}
