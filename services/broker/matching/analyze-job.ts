/**
 * `weft job analyze`: what every check of the broker makes of a job at every live site, in the
 * manner of HTCondor's `condor_q -better-analyze` but across all sites of the grid. Unlike the
 * placement (which blames one check per site and stops), every check is evaluated at every site,
 * so a clause that would reject sites once another one is fixed shows up now.
 *
 * Checks, in the order they are listed: the site's quarantine (jobs kept failing at start there,
 * services/broker/quarantine/), the site's VO list, the site's grid-mapfile, maxWallTime,
 * maxMemory, count ≤ the site's slots, the site's policy (and a policy that does not parse), each
 * top-level clause of the job's requirements, free slots now, then — for sites that pass all of
 * those — budget and deadline. A placed job that has not ended holds slots at its own site; give that site as
 * `holdsSlotsAt` and those slots count as free for it, so its own site does not look full.
 */
import { describeOutcome, requirementClauses } from './expression/explain.ts';
import { rankValue, runBounded } from './expression/expression.ts';
import { estimate, type Estimate } from './economics.ts';
import { parseJobExpressions } from './job-expressions.ts';
import { jobAd, type MatchJob } from './job-ad.ts';
import { screenSite } from './screen-sites.ts';
import { freeSlots, siteAd, type MatchSite } from './site-ad.ts';

/** One check and the sites it rejected. */
export interface CheckCount {
  /** The check in words: "the site's VO list", "requirement 2 (other.FreeCpus >= 8)". */
  readonly check: string;
  /** How many of the live sites it rejected. */
  readonly rejected: number;
  /** Those sites, by name. */
  readonly sites: readonly string[];
}

/** One live site as the analysis saw it. */
export interface SiteVerdict {
  readonly name: string;
  /** Seconds since the site last refreshed its record: how old the facts below are. */
  readonly ageSeconds: number;
  readonly totalSlots: number;
  readonly freeSlots: number;
  /** Every check that rejected the site, with what happened there; empty when it remains. */
  readonly rejectedBy: readonly string[];
  /** The job's rank for the site, when the job has a rank expression. */
  readonly rank?: number;
  /** The job's estimated cost at the site (price × count × run time). */
  readonly estimatedCost: number;
  /** When the job would be done there (ISO time), by the economics estimate. */
  readonly expectedCompletion: string;
}

export interface JobAnalysis {
  /** How many live sites were looked at. */
  readonly sitesConsidered: number;
  /** Every check that rejected at least one site, in the order above. */
  readonly checks: readonly CheckCount[];
  /** The sites that pass every check, best first (as the broker would try them). */
  readonly remaining: readonly SiteVerdict[];
  /** Every live site, by name. */
  readonly sites: readonly SiteVerdict[];
  /** One line for people: "3 sites considered, 1 remains (beta)". */
  readonly summary: string;
}

/** The check a quarantined site fails: it gets no new jobs until the quarantine ends. */
export const QUARANTINE_CHECK = 'the site is not quarantined';

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function ageSeconds(site: MatchSite, now: number): number {
  const updated = Date.parse(site.updatedAt);
  return Number.isNaN(updated) ? -1 : Math.max(0, Math.floor((now - updated) / 1000));
}

/**
 * Analyzes a job against the live sites at `now`. Throws the parser's GridError when the job's
 * own expressions do not parse.
 */
export interface AnalyzeOptions {
  /** When the analysis is made (ms since the epoch); now by default. */
  readonly now?: number;
  /** The site where the job holds its reservation (placed, not ended). */
  readonly holdsSlotsAt?: string;
}

export function analyzeJob(job: MatchJob, liveSites: readonly MatchSite[], options: AnalyzeOptions = {}): JobAnalysis {
  const now = options.now ?? Date.now();
  const sites = liveSites.map((site) =>
    site.name === options.holdsSlotsAt
      ? { ...site, reservedSlots: Math.max(0, site.reservedSlots - job.spec.count) }
      : site,
  );
  const { requirements, rank } = parseJobExpressions(job.spec);
  const { spec } = job;
  const my = jobAd(job);
  const clauses = requirements ? requirementClauses(requirements) : [];
  const counts = new Map<string, string[]>();
  const order: string[] = [];
  const reject = (check: string, site: string) => {
    let list = counts.get(check);
    if (!list) {
      list = [];
      counts.set(check, list);
    }
    list.push(site);
  };
  // The order checks are listed in, whichever site first rejects through them.
  const declare = (check: string) => order.includes(check) || order.push(check);
  declare(QUARANTINE_CHECK);
  for (const check of ["the site's VO list", "the site's grid-mapfile", "maxWallTime ≤ the site's MaxWallTime", "maxMemory ≤ the site's MemoryMB"]) declare(check);
  declare("count ≤ the site's slots");
  declare("the site's policy");
  declare('a site policy that does not parse');
  for (const clause of clauses) declare(`requirement ${clause.index} (${clause.text.replace(/\s+/g, ' ')})`);
  declare('free slots now ≥ count');
  declare('estimated cost ≤ budget');
  declare('expected completion ≤ deadline');

  const deadline = spec.deadline === undefined ? Infinity : Date.parse(spec.deadline);
  const verdicts = [...sites]
    .sort((a, b) => byName(a.name, b.name))
    .map((site): SiteVerdict & { estimate: Estimate } => {
      const other = siteAd(site, now);
      const rejectedBy: string[] = [];
      const fail = (check: string, detail: string) => {
        reject(check, site.name);
        rejectedBy.push(`${check}: ${detail}`);
      };
      if (site.quarantinedUntil !== undefined) fail(QUARANTINE_CHECK, `quarantined until ${site.quarantinedUntil} (its jobs kept failing at start)`);
      const screened = screenSite(job, site, my, other);
      for (const s of screened.filter((s) => s.check === 'vo' || s.check === 'gridmap' || s.check === 'maxWallTime' || s.check === 'maxMemory')) fail(s.label, s.detail);
      if (spec.count > site.totalSlots) fail("count ≤ the site's slots", `the job asks for ${spec.count}, the site has ${site.totalSlots}`);
      for (const s of screened.filter((s) => s.check === 'policy' || s.check === 'policy-invalid')) fail(s.label, s.detail);
      for (const clause of clauses) {
        const value = runBounded(clause.run, { my, other });
        if (!(value.type === 'boolean' && value.value)) {
          fail(`requirement ${clause.index} (${clause.text.replace(/\s+/g, ' ')})`, `it was ${describeOutcome(value)}`);
        }
      }
      if (spec.count <= site.totalSlots && freeSlots(site) < spec.count) {
        fail('free slots now ≥ count', `${freeSlots(site)} of ${site.totalSlots} free`);
      }
      const economics = estimate(spec, site, now);
      if (rejectedBy.length === 0) {
        if (spec.budget !== undefined && economics.cost > spec.budget) {
          fail('estimated cost ≤ budget', `it would cost ${economics.cost}, the budget is ${spec.budget}`);
        }
        if (economics.completion > deadline) {
          fail('expected completion ≤ deadline', `done by ${new Date(economics.completion).toISOString()}, the deadline is ${spec.deadline}`);
        }
      }
      return {
        name: site.name,
        ageSeconds: ageSeconds(site, now),
        totalSlots: site.totalSlots,
        freeSlots: freeSlots(site),
        rejectedBy,
        ...(rank ? { rank: rankValue(rank, { my, other }) } : {}),
        estimatedCost: economics.cost,
        expectedCompletion: new Date(economics.completion).toISOString(),
        estimate: economics,
      };
    });

  const remaining = verdicts
    .filter((verdict) => verdict.rejectedBy.length === 0)
    .sort((a, b) => (b.rank ?? 0) - (a.rank ?? 0) || b.freeSlots - a.freeSlots || byName(a.name, b.name));
  if (spec.optimise === 'cost') remaining.sort((a, b) => a.estimate.cost - b.estimate.cost);
  if (spec.optimise === 'time') remaining.sort((a, b) => a.estimate.completion - b.estimate.completion);
  const plain = ({ estimate: _estimate, ...verdict }: SiteVerdict & { estimate: Estimate }): SiteVerdict => verdict;
  const checks = order
    .filter((check) => counts.has(check))
    .map((check) => {
      const rejected = counts.get(check) ?? [];
      return { check, rejected: rejected.length, sites: rejected };
    });
  const n = sites.length;
  const summary =
    `${n} site${n === 1 ? '' : 's'} considered, ${remaining.length} remain${remaining.length === 1 ? 's' : ''}` +
    (remaining.length > 0 ? ` (${remaining.map((verdict) => verdict.name).join(', ')})` : '');
  return { sitesConsidered: n, checks, remaining: remaining.map(plain), sites: verdicts.map(plain), summary };
}
