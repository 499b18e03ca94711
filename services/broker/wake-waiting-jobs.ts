/**
 * Jobs that found every suitable site full wait as delayed BullMQ jobs. Rather than let them
 * sleep out the whole retry delay, a broker listens for jobs that ended and, for each, promotes a
 * waiting job, in fair-share order. It hears an ending once the job is settled
 * (FAIR_SHARE_SETTLED_CHANNEL: its slots were given back, its usage counted, its running charge
 * taken back; services/broker/fair-share/), so the order weighs every owner's share as it now
 * stands. Several brokers may promote the same job; BullMQ refuses the second promote,
 * harmlessly. An ending nobody settles (its broker died half-way) wakes nobody: the waiting jobs
 * look again after the retry delay.
 */
import type { Job, Queue } from 'bullmq';
import type { Logger } from '../common/logger.ts';
import type { RedisClient } from '../common/redis.ts';
import { FAIR_SHARE_SETTLED_CHANNEL } from '../common/redis-keys.ts';

/** Most waiting jobs promoted in one go, so a burst of endings cannot stall the broker. */
const MOST_PROMOTED_AT_ONCE = 64;
/** Most waiting jobs looked at to choose which to wake (fair share, services/broker/fair-share/). */
const MOST_CONSIDERED = 1000;

/** Chooses which `count` of the waiting jobs to wake, in order; default: the oldest. */
export type WakeOrder = (waiting: Job<{ jobId: string }>[], count: number) => Promise<Job<{ jobId: string }>[]>;

export interface WakeUp {
  stop(): void;
}

export async function wakeWaitingJobsOnEndings(
  subscriber: RedisClient,
  brokerQueue: Queue,
  logger: Logger,
  order?: WakeOrder,
  /** Called before waking jobs: e.g. to drop a cached view of the sites, which now has room. */
  beforeWaking?: () => void,
): Promise<WakeUp> {
  let ended = 0;
  let scheduled = false;

  async function promote() {
    scheduled = false;
    const count = Math.min(ended, MOST_PROMOTED_AT_ONCE);
    ended = 0;
    beforeWaking?.();
    const waiting = order
      ? await order(await brokerQueue.getDelayed(0, MOST_CONSIDERED - 1), count)
      : await brokerQueue.getDelayed(0, count - 1);
    await Promise.all(waiting.map((job) => job.promote().catch(() => undefined)));
  }

  subscriber.on('message', () => {
    ended += 1;
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      promote().catch((error: unknown) => logger.warn({ err: error }, 'could not wake waiting jobs'));
    });
  });
  await subscriber.subscribe(FAIR_SHARE_SETTLED_CHANNEL);
  return { stop: () => subscriber.disconnect() };
}
