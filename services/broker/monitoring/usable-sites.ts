/**
 * The execution phase's say in placement: a job does not go back to a site that lost it, nor to a
 * quarantined site. When every live site has lost the job once, the exclusion is lifted rather
 * than leave the job waiting for a site that may never come (a one-site grid whose agent was
 * restarted); the attempt limit still bounds how often that can happen.
 */
import type { JobRecord } from '../../common/job.ts';
import type { RedisClient } from '../../common/redis.ts';
import type { SiteLoad } from '../../common/site-registry.ts';
import type { PlacementHooks } from '../place-job.ts';
import { attemptOf } from './judge-placed-job.ts';
import { indexPlacement } from './monitor-placed-jobs.ts';

export function withoutExcluded(job: JobRecord, live: SiteLoad[]): SiteLoad[] {
  const excluded = new Set(job.excludedSites ?? []);
  if (excluded.size === 0) return live;
  const kept = live.filter((site) => !excluded.has(site.name));
  return kept.length > 0 ? kept : live;
}

export function executionHooks(redis: RedisClient): PlacementHooks {
  return {
    usableSites: (job, live) =>
      Promise.resolve(withoutExcluded(job, live.filter((site) => site.quarantinedUntil === undefined))),
    async placing(job, site) {
      await indexPlacement(redis, site, job.id, attemptOf(job));
    },
  };
}
