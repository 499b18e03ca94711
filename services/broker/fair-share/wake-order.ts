/**
 * Reads the owners (and sizes) of the waiting BullMQ jobs and the owners' shares, and puts the
 * jobs in fair-share order (fair-order.ts). Two round trips whatever the number of jobs.
 */
import type { Job } from 'bullmq';
import type { JobSpec } from '../../common/job.ts';
import type { RedisClient } from '../../common/redis.ts';
import { jobKey } from '../../common/redis-keys.ts';
import { expectedCpuSeconds } from './expected-usage.ts';
import { readShares } from './fair-share-store.ts';
import { fairOrder } from './fair-order.ts';

function chargeOf(specText: unknown): number {
  if (typeof specText !== 'string') return 0;
  try {
    return expectedCpuSeconds(JSON.parse(specText) as JobSpec);
  } catch {
    return 0;
  }
}

/** Orders `waiting` broker-queue jobs for waking, `count` of them. */
export function fairWakeOrder(redis: RedisClient, halfLifeSeconds: number) {
  return async (waiting: Job<{ jobId: string }>[], count: number): Promise<Job<{ jobId: string }>[]> => {
    if (waiting.length <= 1) return waiting.slice(0, count);
    const pipeline = redis.pipeline();
    for (const job of waiting) pipeline.hmget(jobKey(job.data.jobId), 'owner', 'spec');
    const fields = ((await pipeline.exec()) ?? []).map(([, value]) => (Array.isArray(value) ? (value as unknown[]) : []));
    const candidates = waiting.map((job, index) => {
      const [owner, spec] = fields[index] ?? [];
      return { job, id: job.id ?? '', owner: typeof owner === 'string' ? owner : '', since: job.timestamp, charge: chargeOf(spec) };
    });
    const shares = await readShares(redis, [...new Set(candidates.map((candidate) => candidate.owner))], halfLifeSeconds);
    return fairOrder(candidates, count, shares).map((candidate) => candidate.job);
  };
}
