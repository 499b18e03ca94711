/** Reads the owners of the waiting BullMQ jobs and puts them in fair-share order. */
import type { Job } from 'bullmq';
import type { RedisClient } from '../../common/redis.ts';
import { jobKey } from '../../common/redis-keys.ts';
import { fairOrder } from './fair-order.ts';

/** Orders `waiting` broker-queue jobs for waking, `count` of them. */
export function fairWakeOrder(redis: RedisClient) {
  return async (waiting: Job<{ jobId: string }>[], count: number): Promise<Job<{ jobId: string }>[]> => {
    if (waiting.length <= 1) return waiting.slice(0, count);
    const pipeline = redis.pipeline();
    for (const job of waiting) pipeline.hget(jobKey(job.data.jobId), 'owner');
    const owners = ((await pipeline.exec()) ?? []).map(([, owner]) => (typeof owner === 'string' ? owner : ''));
    const candidates = waiting.map((job, index) => ({ job, id: job.id ?? '', owner: owners[index] ?? '', since: job.timestamp }));
    return fairOrder(candidates, count).map((candidate) => candidate.job);
  };
}
