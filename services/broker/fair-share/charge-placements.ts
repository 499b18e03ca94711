/**
 * Placement's part in fair share: a job placed is charged to its owner as running
 * (fair-share-store.ts), alongside the execution phase's own bookkeeping and in parallel with it,
 * so placement waits for no extra round trip.
 */
import type { RedisClient } from '../../common/redis.ts';
import type { PlacementHooks } from '../place-job.ts';
import { chargeRunning } from './fair-share-store.ts';

export function withFairShareCharge(hooks: PlacementHooks, redis: RedisClient): PlacementHooks {
  return {
    ...hooks,
    async placing(job, site) {
      await Promise.all([hooks.placing(job, site), chargeRunning(redis, job)]);
    },
  };
}
