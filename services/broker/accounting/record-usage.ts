/**
 * Writes an ended job's usage record to the `weft:usage` stream and to its owner's own stream
 * (each capped, approximately, at `usageMaxRecords`), adds it to the running totals per user, VO
 * and site (all owners', and the owner's own), and settles the job in fair share (its running
 * charge goes, the CPU seconds it used join its owner's decayed usage). Every broker hears every
 * ending; the `accountedAt` field set with HSETNX on the job makes exactly one of them write. (A
 * broker that dies between the two steps loses that one record: accounting is at-most-once, jobs
 * are not.)
 */
import type { RedisClient } from '../../common/redis.ts';
import { USAGE_STREAM, jobKey, ownerUsageStreamKey, ownerUsageTotalsKey, usageTotalsKey } from '../../common/redis-keys.ts';
import { settleEnded } from '../fair-share/fair-share-store.ts';
import { totalsNames, type UsageRecord } from './usage-record.ts';
import { ownerTotalsField } from './usage-store.ts';

export interface AccountingConfig {
  readonly usageMaxRecords: number;
  readonly fairShareHalfLifeSeconds: number;
}

export async function recordUsage(redis: RedisClient, record: UsageRecord, config: AccountingConfig): Promise<boolean> {
  if ((await redis.hsetnx(jobKey(record.jobId), 'accountedAt', new Date().toISOString())) !== 1) return false;
  const fields = Object.entries(record).flatMap(([name, value]) => [name, String(value)]);
  const cap = String(config.usageMaxRecords);
  const pipeline = redis.pipeline();
  pipeline.xadd(USAGE_STREAM, 'MAXLEN', '~', cap, '*', ...fields);
  pipeline.xadd(ownerUsageStreamKey(record.owner), 'MAXLEN', '~', cap, '*', ...fields);
  const own = ownerUsageTotalsKey(record.owner);
  for (const [by, name] of Object.entries(totalsNames(record)) as [keyof ReturnType<typeof totalsNames>, string][]) {
    pipeline.hincrby(usageTotalsKey(by, 'jobs'), name, 1);
    pipeline.hincrbyfloat(usageTotalsKey(by, 'wallSeconds'), name, record.wallSeconds);
    pipeline.hincrbyfloat(usageTotalsKey(by, 'cpuSeconds'), name, record.cpuSeconds);
    pipeline.hincrbyfloat(usageTotalsKey(by, 'cost'), name, record.cost);
    pipeline.hincrby(own, ownerTotalsField(by, 'jobs', name), 1);
    pipeline.hincrbyfloat(own, ownerTotalsField(by, 'wallSeconds', name), record.wallSeconds);
    pipeline.hincrbyfloat(own, ownerTotalsField(by, 'cpuSeconds', name), record.cpuSeconds);
    pipeline.hincrbyfloat(own, ownerTotalsField(by, 'cost', name), record.cost);
  }
  await pipeline.exec();
  await settleEnded(redis, record, config.fairShareHalfLifeSeconds);
  return true;
}
