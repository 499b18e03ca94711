/**
 * The broker process: BullMQ workers on the broker queue. Several brokers may run at once on any
 * host; Redis (atomic reservations, job ids as queue ids) keeps them from placing a job twice or
 * over-committing a site.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { ConfigOf } from '../common/config.ts';
import type { JobStore } from '../common/job-store.ts';
import type { Logger } from '../common/logger.ts';
import type { RedisClient } from '../common/redis.ts';
import { BROKER_QUEUE, QUEUE_PREFIX, siteQueueName } from '../common/redis-keys.ts';
import type { SiteRegistry } from '../common/site-registry.ts';
import type { Service } from '../common/service.ts';
import type { BROKER_KNOBS } from './config.ts';
import { placeJob } from './place-job.ts';
import { wakeWaitingJobsOnEndings, type WakeUp } from './wake-waiting-jobs.ts';
// Execution phase: monitoring and resubmission, quarantine, accounting.
import { startMonitor, type Monitor } from './monitoring/monitor-placed-jobs.ts';
import { executionHooks } from './monitoring/usable-sites.ts';
import { withCachedSiteList } from './cached-site-list.ts';
import { handleEnding, watchEndings, type EndingsWatch } from './monitoring/watch-endings.ts';
import { fairWakeOrder } from './fair-share/wake-order.ts';
import { withFairShareCharge } from './fair-share/charge-placements.ts';
import { credentialLifetime, type CredentialLifetimeDeps } from './credential-lifetime/credential-lifetime.ts';

export interface BrokerDeps {
  readonly redis: RedisClient;
  readonly jobs: JobStore;
  readonly sites: SiteRegistry;
  readonly logger: Logger;
  /** Renewal of jobs' delegated proxies from the repository; absent: hold and warn only. */
  readonly renewal?: CredentialLifetimeDeps['renewal'];
}

export function createBrokerService(deps: BrokerDeps, config: ConfigOf<typeof BROKER_KNOBS>): Service {
  const logger = deps.logger.child({ service: 'broker' });
  const siteQueues = new Map<string, Queue>();
  let worker: Worker | undefined;
  let workerConnection: RedisClient | undefined;
  let brokerQueue: Queue | undefined;
  let wakeUp: WakeUp | undefined;
  let monitor: Monitor | undefined;
  let endings: EndingsWatch | undefined;
  const execution = withFairShareCharge(executionHooks(deps.redis), deps.redis);
  const placementSites = withCachedSiteList(deps.sites, config.siteListMaxAgeMs);
  const credentials = credentialLifetime({ ...deps, logger }, config);

  function siteQueue(site: string): Queue {
    let queue = siteQueues.get(site);
    if (!queue) {
      queue = new Queue(siteQueueName(site), { connection: deps.redis, prefix: QUEUE_PREFIX });
      siteQueues.set(site, queue);
    }
    return queue;
  }

  async function processJob(job: Job<{ jobId: string }>, token?: string) {
    const outcome = await placeJob({ ...deps, sites: placementSites, siteQueue, logger, execution, credentialHold: credentials.hold }, job.data.jobId);
    if (outcome.kind === 'waiting') {
      await job.moveToDelayed(Date.now() + config.retryDelayMs, token);
      throw new DelayedError();
    }
    return outcome;
  }

  return {
    async start() {
      // Workers block on their own connection; it is ours to close.
      workerConnection = deps.redis.duplicate();
      worker = new Worker(BROKER_QUEUE, processJob, {
        connection: workerConnection,
        prefix: QUEUE_PREFIX,
        concurrency: config.concurrency,
      });
      worker.on('failed', (job, error) =>
        logger.error({ jobId: job?.data.jobId, err: error }, 'placement failed'),
      );
      worker.on('error', (error) => logger.error({ err: error }, 'broker worker error'));
      await worker.waitUntilReady();
      brokerQueue = new Queue(BROKER_QUEUE, { connection: deps.redis, prefix: QUEUE_PREFIX });
      wakeUp = await wakeWaitingJobsOnEndings(
        deps.redis.duplicate(),
        brokerQueue,
        logger,
        fairWakeOrder(deps.redis, config.fairShareHalfLifeSeconds),
        () => placementSites.forget(),
      );
      endings = await watchEndings(deps.redis.duplicate(), deps.redis, deps.jobs, config, logger);
      monitor = startMonitor(
        {
          ...deps,
          siteQueue,
          brokerQueue,
          logger,
          onEnded: (job) => handleEnding(deps.redis, job, config, logger),
        },
        config,
      );
      credentials.start();
      logger.info({ concurrency: config.concurrency }, 'broker started');
    },
    async stop() {
      wakeUp?.stop();
      await credentials.stop();
      await monitor?.stop();
      endings?.stop();
      await worker?.close();
      await brokerQueue?.close();
      workerConnection?.disconnect();
      await Promise.all([...siteQueues.values()].map((queue) => queue.close()));
    },
  };
}
