/**
 * What the broker does when a job ends (every broker hears every ending on the job-events
 * channel, and the monitor finds endings nobody heard): write the usage record and count a
 * failure at start towards the site's quarantine. Both happen once, in whichever broker wins the
 * job's `accountedAt` (HSETNX).
 */
import type { JobStore } from '../../common/job-store.ts';
import type { JobRecord } from '../../common/job.ts';
import type { Logger } from '../../common/logger.ts';
import type { RedisClient } from '../../common/redis.ts';
import { JOB_EVENTS_CHANNEL } from '../../common/redis-keys.ts';
import { recordUsage, type AccountingConfig } from '../accounting/record-usage.ts';
import { usageRecordOf } from '../accounting/usage-record.ts';
import { failedAtStart, recordStartFailure, type QuarantineConfig } from '../quarantine/start-failures.ts';

export interface EndingsConfig extends QuarantineConfig, AccountingConfig {}

export async function handleEnding(redis: RedisClient, job: JobRecord, config: EndingsConfig, logger: Logger): Promise<void> {
  const record = usageRecordOf(job);
  if (!record) return;
  // Only the broker that accounts for the ending counts it towards a quarantine, once.
  if (!(await recordUsage(redis, record, config))) return;
  if (job.site !== undefined && failedAtStart(job)) {
    const until = await recordStartFailure(redis, config, job.site, job.id);
    if (until) logger.warn({ site: job.site, until }, `site ${job.site} quarantined: its jobs keep failing at start`);
  }
}

export interface EndingsWatch {
  stop(): void;
}

export async function watchEndings(
  subscriber: RedisClient,
  redis: RedisClient,
  jobs: JobStore,
  config: EndingsConfig,
  logger: Logger,
): Promise<EndingsWatch> {
  subscriber.on('message', (_channel: string, message: string) => {
    const [jobId, state] = message.split(' ');
    if (!jobId || (state !== 'Done' && state !== 'Failed')) return;
    void jobs
      .get(jobId)
      .then((job) => (job ? handleEnding(redis, job, config, logger) : undefined))
      .catch((error: unknown) => logger.warn({ err: error, jobId }, 'could not account for an ended job'));
  });
  await subscriber.subscribe(JOB_EVENTS_CHANNEL);
  return { stop: () => subscriber.disconnect() };
}
