/**
 * One placement decision: read the live sites, keep those the job's requirements accept, rank
 * them, reserve a slot on the best one that still has room, record the decision in the job's
 * history, and hand the job to that site's queue. A job that fits nowhere stays `Pending` with
 * the reason visible, and is looked at again later.
 */
import type { Queue } from 'bullmq';
import { isGridError } from '../common/errors.ts';
import type { JobStore } from '../common/job-store.ts';
import type { SiteLoad, SiteRegistry } from '../common/site-registry.ts';
import { TERMINAL_STATES, type JobRecord } from '../common/job.ts';
import type { Logger } from '../common/logger.ts';
import { matchSites } from './matching/match-sites.ts';
import type { MatchChoice } from './matching/match-sites.ts';

export interface PlacementDeps {
  readonly jobs: JobStore;
  readonly sites: SiteRegistry;
  /** The BullMQ queue of a site, by name. */
  readonly siteQueue: (site: string) => Queue;
  readonly logger: Logger;
  /** Execution-phase hooks (monitoring, quarantine); absent in placement-only tests. */
  readonly execution?: PlacementHooks;
  /** Why the job must wait for its delegated credential (credential-lifetime/), if it must. */
  readonly credentialHold?: (job: JobRecord) => Promise<string | undefined>;
}

/** How the execution phase takes part in placement (services/broker/monitoring/). */
export interface PlacementHooks {
  /** The live sites this job may go to: not excluded by an earlier loss, not quarantined. */
  usableSites(job: JobRecord, live: SiteLoad[]): Promise<SiteLoad[]>;
  /** Called once a slot is reserved, before the job's `site` is set: indexes the placement. */
  placing(job: JobRecord, site: string): Promise<void>;
}

export type PlacementOutcome =
  | { readonly kind: 'placed'; readonly site: string }
  | { readonly kind: 'waiting'; readonly reason: string }
  | { readonly kind: 'skipped'; readonly reason: string };

export async function placeJob(deps: PlacementDeps, jobId: string): Promise<PlacementOutcome> {
  const job = await deps.jobs.get(jobId);
  if (!job) return { kind: 'skipped', reason: 'the job no longer exists' };
  if (TERMINAL_STATES.has(job.state)) return { kind: 'skipped', reason: `the job is ${job.state}` };

  // A broker that died after placing this job leaves it with a site; finish that hand-over
  // instead of placing it twice.
  if (job.site !== undefined && job.state !== 'Unsubmitted') {
    await deps.execution?.placing(job, job.site);
    await deps.siteQueue(job.site).add('run', { jobId }, { jobId });
    return { kind: 'placed', site: job.site };
  }

  const held = await deps.credentialHold?.(job);
  if (held !== undefined) {
    if (job.history[job.history.length - 1]?.reason !== held) await deps.jobs.transition(jobId, { state: 'Pending', by: 'broker', reason: held });
    return { kind: 'waiting', reason: held };
  }

  let choice: MatchChoice;
  try {
    const live = await deps.sites.listLive();
    choice = matchSites(job, deps.execution ? await deps.execution.usableSites(job, live) : live, {
      // Selection (issue 5): a site whose policy does not parse is left out, and its admin told.
      onInvalidPolicy: (site, message) => deps.logger.warn({ jobId, site }, `site policy ignored: ${message}`),
    });
  } catch (error) {
    if (!isGridError(error)) throw error;
    // An expression the front door would refuse today (the job came in before it checked, or
    // through a door that does not): no site can ever take the job, so it fails, saying why.
    await deps.jobs.transition(jobId, {
      state: 'Failed',
      by: 'broker',
      reason: error.message,
      fields: { failureCode: error.code, failureMessage: error.message },
    });
    return { kind: 'skipped', reason: error.message };
  }
  for (const [index, site] of choice.ranked.entries()) {
    if (!(await deps.sites.reserve(site.name, jobId, job.spec.count))) continue;
    await deps.execution?.placing(job, site.name);
    const free = site.totalSlots - site.reservedSlots - job.spec.count;
    const rank = choice.ranking?.[index];
    const accepted = choice.accepted
      ? `; ${choice.accepted.count} of ${choice.accepted.of} sites met the requirements`
      : '';
    const estimate = choice.estimates?.[index];
    const economics = estimate ? `; estimated cost ${estimate.cost}, done by ${new Date(estimate.completion).toISOString()}` : '';
    const moved = await deps.jobs.transition(jobId, {
      state: 'Pending',
      by: 'broker',
      reason:
        `placed on ${site.name}${rank === undefined ? '' : ` (rank ${rank})`}: ` +
        `${free} of ${site.totalSlots} slots left free${accepted}${economics}`,
      fields: {
        site: site.name,
        ...(site.pricePerCpuHour === undefined ? {} : { pricePerCpuHour: site.pricePerCpuHour }),
      },
    });
    if (!moved) {
      await deps.sites.release(site.name, jobId);
      return { kind: 'skipped', reason: 'the job ended while it was being placed' };
    }
    // The job id doubles as the BullMQ id, so a repeated hand-over adds nothing.
    await deps.siteQueue(site.name).add('run', { jobId }, { jobId });
    deps.logger.info({ jobId, site: site.name }, 'job placed');
    return { kind: 'placed', site: site.name };
  }

  const reason = choice.reason ?? 'every suitable site filled up while the broker was deciding';
  const last = job.history[job.history.length - 1];
  if (last?.reason !== `waiting: ${reason}`) {
    await deps.jobs.transition(jobId, { state: 'Pending', by: 'broker', reason: `waiting: ${reason}` });
  }
  return { kind: 'waiting', reason };
}
