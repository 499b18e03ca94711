/**
 * Economic brokering in the manner of Nimrod-G/Gridbus. Sites publish a price per CPU-hour; a
 * job may give a `budget`, a `deadline` and what to `optimise`.
 *
 * - Run time: the job's `maxWallTime`, else DEFAULT_RUN_MINUTES.
 * - Estimated cost = price per CPU-hour × count × run minutes / 60 (a site without a price is
 *   free).
 * - Queue wait: each "wave" of jobs waiting at the site ahead of this one is taken to last one
 *   run time: ceil(WaitingJobs / TotalCpus) × run minutes (0 when nothing waits).
 * - Expected completion = now + queue wait + run minutes.
 * - A site is affordable when its cost ≤ budget, in time when its completion ≤ deadline.
 *   `cost` picks the cheapest site in time (and affordable); `time` the earliest affordable (and
 *   in time); ties keep the order rank-sites.ts gave (rank, then free slots, then name). Without
 *   `optimise` budget and deadline only filter.
 */
import type { JobSpec } from '../../common/job.ts';
import type { MatchSite } from './site-ad.ts';

/** How long a job without `maxWallTime` is taken to run, for estimates only. */
export const DEFAULT_RUN_MINUTES = 60;

export interface Estimate {
  /** Cost of the whole job at this site, in the grid's accounting unit. */
  readonly cost: number;
  /** Expected completion, ms since the epoch. */
  readonly completion: number;
}

type Economic = Pick<JobSpec, 'count' | 'maxWallTime' | 'budget' | 'deadline' | 'optimise'>;

/** Whether the job has anything economic for the broker to act on. */
export function isEconomic(spec: Economic): boolean {
  return spec.budget !== undefined || spec.deadline !== undefined || spec.optimise !== undefined;
}

/** Cost and expected completion of the job at a site, as seen at `now`. */
export function estimate(spec: Economic, site: MatchSite, now: number): Estimate {
  const runMinutes = spec.maxWallTime ?? DEFAULT_RUN_MINUTES;
  const price = site.pricePerCpuHour ?? 0;
  const waves = site.waitingJobs && site.totalSlots > 0 ? Math.ceil(site.waitingJobs / site.totalSlots) : 0;
  return {
    cost: roundMoney((price * spec.count * runMinutes) / 60),
    completion: now + (waves + 1) * runMinutes * 60_000,
  };
}

/** Money to 6 decimals, so 0.1 × 3 reads 0.3 in reasons and answers. */
function roundMoney(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export interface EconomicChoice<S> {
  /** The sites that meet budget and deadline, in the order to try them. */
  readonly ordered: readonly { readonly site: S; readonly estimate: Estimate; readonly index: number }[];
  /** Why none does, when `ordered` is empty. */
  readonly reason?: string;
}

/**
 * Keeps the sites (already in rank order) that meet the job's budget and deadline and orders
 * them as `optimise` says. `index` is each site's place in the input.
 */
export function chooseEconomically<S extends MatchSite>(spec: Economic, sites: readonly S[], now: number): EconomicChoice<S> {
  const all = sites.map((site, index) => ({ site, index, estimate: estimate(spec, site, now) }));
  const deadline = spec.deadline === undefined ? Infinity : Date.parse(spec.deadline);
  const budget = spec.budget ?? Infinity;
  const inTime = all.filter((entry) => entry.estimate.completion <= deadline);
  const ordered = inTime.filter((entry) => entry.estimate.cost <= budget);
  if (spec.optimise === 'cost') ordered.sort((a, b) => a.estimate.cost - b.estimate.cost || a.index - b.index);
  if (spec.optimise === 'time') ordered.sort((a, b) => a.estimate.completion - b.estimate.completion || a.index - b.index);
  if (ordered.length > 0 || all.length === 0) return { ordered };
  if (inTime.length === 0) {
    const earliest = Math.min(...all.map((entry) => entry.estimate.completion));
    return {
      ordered,
      reason:
        `the earliest of ${all.length} site${all.length === 1 ? '' : 's'} would finish at ` +
        `${new Date(earliest).toISOString()}, after the deadline ${spec.deadline}`,
    };
  }
  const cheapest = Math.min(...inTime.map((entry) => entry.estimate.cost));
  return {
    ordered,
    reason: `${spec.deadline === undefined ? 'the cheapest site' : 'the cheapest site meeting the deadline'} costs ${cheapest} > budget ${spec.budget}`,
  };
}
