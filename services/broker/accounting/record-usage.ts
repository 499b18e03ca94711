/**
 * Writes an ended job's usage record to the `weft:usage` stream (capped, approximately, at
 * `usageMaxRecords`) and adds it to the running totals per user, VO and site. Every broker hears
 * every ending; the `accountedAt` field set with HSETNX on the job makes exactly one of them
 * write. (A broker that dies between the two steps loses that one record: accounting is
 * at-most-once, jobs are not.)
 */
import type { RedisClient } from '../../common/redis.ts';
import { USAGE_STREAM, jobKey, usageTotalsKey } from '../../common/redis-keys.ts';
import type { UsageRecord } from './usage-record.ts';

/** How a record is keyed in each dimension of the totals. */
export function totalsNames(record: UsageRecord): { user: string; vo: string; site: string } {
  return { user: record.owner, vo: record.vo || '(none)', site: record.site || '(none)' };
}

export async function recordUsage(redis: RedisClient, record: UsageRecord, maxRecords: number): Promise<boolean> {
  if ((await redis.hsetnx(jobKey(record.jobId), 'accountedAt', new Date().toISOString())) !== 1) return false;
  const fields = Object.entries(record).flatMap(([name, value]) => [name, String(value)]);
  const pipeline = redis.pipeline();
  pipeline.xadd(USAGE_STREAM, 'MAXLEN', '~', String(maxRecords), '*', ...fields);
  for (const [by, name] of Object.entries(totalsNames(record)) as [keyof ReturnType<typeof totalsNames>, string][]) {
    pipeline.hincrby(usageTotalsKey(by, 'jobs'), name, 1);
    pipeline.hincrbyfloat(usageTotalsKey(by, 'wallSeconds'), name, record.wallSeconds);
    pipeline.hincrbyfloat(usageTotalsKey(by, 'cpuSeconds'), name, record.cpuSeconds);
    pipeline.hincrbyfloat(usageTotalsKey(by, 'cost'), name, record.cost);
  }
  await pipeline.exec();
  return true;
}
