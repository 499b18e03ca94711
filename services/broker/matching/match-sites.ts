/**
 * Matchmaking for one job, in the order of the three phases of grid scheduling:
 * 1. discovery: the site's VO list, the plain RSL limits and the site's policy
 *    (screen-sites.ts), then the job's `requirements` (only where the expression is exactly
 *    true — UNDEFINED and ERROR reject);
 * 2. selection: slots (total and free now), ordered by the job's `rank` (rank-sites.ts), then
 *    budget, deadline and `optimise` (economics.ts).
 * When nothing is left, the reason says which check did it and at how many sites:
 * "requirement 2 (other.FreeCpus >= 8) rejected 2 of 2 sites".
 */
import { explainRejection, describeOutcome, type Clause } from './expression/explain.ts';
import { matches, rankValue, type Expression } from './expression/expression.ts';
import type { Ad } from './expression/ad.ts';
import { chooseEconomically, isEconomic, type Estimate } from './economics.ts';
import { parseJobExpressions } from './job-expressions.ts';
import { jobAd, type MatchJob } from './job-ad.ts';
import { rankSites, type SiteChoice } from './rank-sites.ts';
import { screenSite, screeningReason, type Screening } from './screen-sites.ts';
import { siteAd, type MatchSite } from './site-ad.ts';

export interface MatchOptions {
  /** The time the sites' ages are measured at (ms since the epoch); now by default. */
  readonly now?: number;
  /** Told about each site whose policy does not parse (the site is left out). */
  readonly onInvalidPolicy?: (site: string, message: string) => void;
}

/** A choice with the economic estimate of each ranked site, index for index, when the job has one. */
export interface MatchChoice extends SiteChoice {
  readonly estimates?: readonly Estimate[];
}

/**
 * Filters and orders the live sites for a job. Throws the parser's GridError when the job's
 * expressions do not parse (GRAM refuses such jobs at submission, so only an old or foreign job
 * can get here with one).
 */
export function matchSites(job: MatchJob, sites: readonly MatchSite[], options: MatchOptions = {}): MatchChoice {
  const { requirements, rank } = parseJobExpressions(job.spec);
  if (sites.length === 0) return rankSites(sites, job.spec.count);
  const now = options.now ?? Date.now();
  const my = jobAd(job);
  const firstFailures: Screening[] = [];
  let candidates = sites.filter((site) => {
    const failures = screenSite(job, site, my, () => siteAd(site, now));
    if (failures.length === 0) return true;
    for (const failure of failures) {
      if (failure.check === 'policy-invalid') options.onInvalidPolicy?.(site.name, failure.detail);
    }
    if (failures[0]) firstFailures.push(failures[0]);
    return false;
  });
  const screened = firstFailures.length > 0 ? screeningReason(firstFailures, sites.length) : '';
  if (candidates.length === 0) return { ranked: [], reason: screened };
  if (requirements) {
    const before = candidates;
    candidates = before.filter((site) => matches(requirements, { my, other: siteAd(site, now) }));
    if (candidates.length === 0) {
      const reason = rejectionReason(requirements, my, before, now);
      return { ranked: [], reason: screened ? `${screened}; ${reason}` : reason, accepted: { count: 0, of: sites.length } };
    }
  }
  const rankOf = rank ? (site: MatchSite) => rankValue(rank, { my, other: siteAd(site, now) }) : undefined;
  let choice: MatchChoice = rankSites(candidates, job.spec.count, rankOf);
  if (choice.ranked.length === 0 && screened) choice = { ...choice, reason: `${screened}; ${choice.reason ?? ''}` };
  if (isEconomic(job.spec) && choice.ranked.length > 0) {
    const economic = chooseEconomically(job.spec, choice.ranked, now);
    const { ranking } = choice;
    choice = {
      ranked: economic.ordered.map((entry) => entry.site),
      ...(ranking ? { ranking: economic.ordered.map((entry) => ranking[entry.index] ?? 0) } : {}),
      estimates: economic.ordered.map((entry) => entry.estimate),
      ...(economic.reason === undefined ? {} : { reason: economic.reason }),
    };
  }
  return requirements ? { ...choice, accepted: { count: candidates.length, of: sites.length } } : choice;
}

interface Tally {
  readonly clause: Clause;
  count: number;
  /** How the clause came out where it rejected, e.g. "false" → 2, "undefined" → 1. */
  readonly outcomes: Map<string, number>;
}

const MAX_CLAUSE_TEXT = 120;

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > MAX_CLAUSE_TEXT ? `${oneLine.slice(0, MAX_CLAUSE_TEXT - 1)}…` : oneLine;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "requirement 2 (other.FreeCpus >= 8) rejected 2 of 2 sites", naming each clause that rejected any. */
function rejectionReason(requirements: Expression, my: Ad, sites: readonly MatchSite[], now: number): string {
  const tallies = new Map<number, Tally>();
  for (const site of sites) {
    const rejection = explainRejection(requirements, { my, other: siteAd(site, now) });
    if (!rejection) continue; // matched after all: nothing to blame
    let tally = tallies.get(rejection.clause.index);
    if (!tally) {
      tally = { clause: rejection.clause, count: 0, outcomes: new Map() };
      tallies.set(rejection.clause.index, tally);
    }
    tally.count++;
    const outcome = describeOutcome(rejection.value);
    tally.outcomes.set(outcome, (tally.outcomes.get(outcome) ?? 0) + 1);
  }
  const parts = [...tallies.values()]
    .sort((a, b) => a.clause.index - b.clause.index)
    .map((tally, i) => {
      const how = [...tally.outcomes].every(([outcome]) => outcome === 'false')
        ? ''
        : ` (it was ${[...tally.outcomes].map(([outcome, n]) => `${outcome} at ${n}`).join(', ')})`;
      const count = i === 0 ? `${tally.count} of ${plural(sites.length, 'site')}` : String(tally.count);
      return `requirement ${tally.clause.index} (${shorten(tally.clause.text)}) rejected ${count}${how}`;
    });
  return parts.length > 0 ? parts.join(', ') : `the requirements rejected all ${plural(sites.length, 'site')}`;
}
