/**
 * The execution phase's watchman. Every broker runs it (no leader): each tick it walks every
 * site's index of placed jobs and asks `judgePlacedJob` what to do. Taking a job back from a site
 * is one job-store transition guarded by the job's site and attempt, so when two brokers see the
 * same lost job only one moves it; every later step (slot, site queue, broker queue, index) is
 * idempotent and redone by the next tick if a broker dies half-way.
 */
import type { Queue } from 'bullmq';
import type { JobStore } from '../../common/job-store.ts';
import { isGramState, type JobRecord } from '../../common/job.ts';
import type { Logger } from '../../common/logger.ts';
import type { RedisClient } from '../../common/redis.ts';
import { SITES_SET, jobKey, siteJobsKey, siteKey } from '../../common/redis-keys.ts';
import type { SiteRegistry } from '../../common/site-registry.ts';
import { brokerError } from '../errors.ts';
import { attemptOf, judgePlacedJob, type PlacedJobView, type SiteQueueState } from './judge-placed-job.ts';

export interface MonitorDeps {
  readonly redis: RedisClient;
  readonly jobs: JobStore;
  readonly sites: SiteRegistry;
  readonly siteQueue: (site: string) => Queue;
  readonly brokerQueue: Queue;
  readonly logger: Logger;
  /** Called for an ended job found in an index (accounting missed while no broker listened). */
  readonly onEnded?: (job: JobRecord) => Promise<void>;
}

export interface MonitorConfig {
  readonly maxAttempts: number;
  readonly monitorIntervalMs: number;
}

/** The broker-queue id of a job's n-th placement (the first one is the job id itself). */
export function placementQueueId(jobId: string, attempt: number): string {
  return attempt <= 1 ? jobId : `${jobId}-attempt-${attempt}`;
}

/** Records, before the job's `site` field is set, that a job is being placed on a site. */
export async function indexPlacement(redis: RedisClient, site: string, jobId: string, attempt: number): Promise<void> {
  await redis.hset(siteJobsKey(site), jobId, String(attempt));
}

/** Reads what `judgePlacedJob` needs of a job: three fields, not its history. */
async function placedJobView(redis: RedisClient, jobId: string): Promise<PlacedJobView | undefined> {
  const [state, site, attempts] = await redis.hmget(jobKey(jobId), 'state', 'site', 'attempts');
  if (!state || !isGramState(state)) return undefined;
  return { state, ...(site ? { site } : {}), ...(attempts ? { attempts: Number(attempts) } : {}) };
}

/** One pass over every site's placed jobs. Exported so tests can drive it without timers. */
export async function checkPlacedJobs(deps: MonitorDeps, config: MonitorConfig): Promise<void> {
  const names = await deps.redis.smembers(SITES_SET);
  for (const site of names) {
    const entries = await deps.redis.hgetall(siteJobsKey(site));
    const ids = Object.keys(entries);
    if (ids.length === 0) continue;
    const siteLive = (await deps.redis.exists(siteKey(site))) === 1;
    for (const jobId of ids) {
      try {
        await checkOne(deps, config, site, jobId, Number(entries[jobId]) || 1, siteLive);
      } catch (error) {
        deps.logger.warn({ err: error, jobId, site }, 'could not check a placed job');
      }
    }
  }
}

async function checkOne(
  deps: MonitorDeps,
  config: MonitorConfig,
  site: string,
  jobId: string,
  indexedAttempt: number,
  siteLive: boolean,
): Promise<void> {
  const job = await placedJobView(deps.redis, jobId);
  const queueState =
    job && job.site === site && siteLive
      ? ((await deps.siteQueue(site).getJobState(jobId)) as SiteQueueState)
      : undefined;
  const decision = judgePlacedJob({ site, indexedAttempt, job, siteLive, queueState, maxAttempts: config.maxAttempts });
  const logger = deps.logger.child({ jobId, site });
  switch (decision.action) {
    case 'keep':
      return;
    case 'forget': {
      const ended = job && (await deps.jobs.get(jobId));
      if (ended) await deps.onEnded?.(ended);
      await deps.sites.release(site, jobId);
      await deps.redis.hdel(siteJobsKey(site), jobId);
      return;
    }
    case 'tidy':
      await tidy(deps, site, jobId);
      return;
    case 'resubmit': {
      const full = await deps.jobs.get(jobId);
      if (!job || !full) return;
      const moved = await deps.jobs.transition(jobId, {
        state: 'Pending',
        by: 'broker',
        reason: decision.reason,
        expectedSite: site,
        expectedAttempts: attemptOf(job),
        clear: ['site'],
        fields: { attempts: decision.attempt, excludedSites: [...new Set([...(full.excludedSites ?? []), site])] },
      });
      if (!moved) return; // another broker took it back first, or it ended meanwhile
      logger.warn({ attempt: decision.attempt }, decision.reason);
      // An agent that is slow rather than dead must stop the program it may still be running.
      await deps.jobs.announceCancel(jobId);
      await tidy(deps, site, jobId);
      return;
    }
    case 'fail': {
      if (!job) return;
      const failed = await deps.jobs.transition(jobId, {
        state: 'Failed',
        by: 'broker',
        reason: decision.reason,
        expectedSite: site,
        expectedAttempts: attemptOf(job),
        fields: { failureCode: brokerError('BROKER_ATTEMPTS_EXHAUSTED', decision.reason).code, failureMessage: decision.reason },
      });
      if (!failed) return;
      logger.warn(decision.reason);
      await deps.jobs.announceCancel(jobId);
      await tidy(deps, site, jobId);
      return;
    }
  }
}

/** Finishes moving a job off `site`: every step is harmless to repeat. */
async function tidy(deps: MonitorDeps, site: string, jobId: string): Promise<void> {
  await deps.sites.release(site, jobId);
  // Removed so that a later placement on the same site is not swallowed by the old job id; an
  // agent still holding it (locked) keeps it until it lets go, and the next tick tries again.
  let removed = true;
  try {
    await deps.siteQueue(site).remove(jobId);
  } catch {
    removed = false;
  }
  const job = await placedJobView(deps.redis, jobId);
  if (job && job.site === undefined && job.state === 'Pending') {
    const attempt = attemptOf(job);
    await deps.brokerQueue.add('place', { jobId }, { jobId: placementQueueId(jobId, attempt) });
  }
  if (removed) await deps.redis.hdel(siteJobsKey(site), jobId);
}

export interface Monitor {
  stop(): Promise<void>;
}

/** Runs `checkPlacedJobs` every interval until stopped; one pass at a time. */
export function startMonitor(deps: MonitorDeps, config: MonitorConfig): Monitor {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running
      .then(() => (stopped ? undefined : checkPlacedJobs(deps, config)))
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'the placed-jobs monitor failed a pass'));
  }, config.monitorIntervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
