/**
 * System selection: keep the sites big enough for the job and with room for it now, then order
 * them by the job's rank (highest first) when it has one, then by free slots (most first), then
 * by name, so that decisions are reproducible. Requirements have already filtered the sites
 * (match-sites.ts); economic policies (issue 5) plug in here.
 */
import type { SiteLoad } from '../../common/site-registry.ts';

export interface SiteChoice {
  /** Sites in the order the broker should try to reserve them. */
  readonly ranked: readonly SiteLoad[];
  /** Why nothing fits, in words, when `ranked` is empty. */
  readonly reason?: string;
  /** The rank of each site in `ranked`, index for index, when the job has a rank expression. */
  readonly ranking?: readonly number[];
  /** How many sites the requirements let through, when the job has requirements. */
  readonly accepted?: { readonly count: number; readonly of: number };
}

interface Candidate {
  readonly site: SiteLoad;
  readonly free: number;
  rank: number;
}

/**
 * Names compare by UTF-16 code unit, not by locale: a tie must break the same way on every
 * broker host, whatever its locale, and this is also far cheaper than localeCompare.
 */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders the sites that can take `slotsNeeded` now. `rankOf`, when given, is asked once per such
 * site; higher ranks come first.
 */
export function rankSites(
  sites: readonly SiteLoad[],
  slotsNeeded: number,
  rankOf?: (site: SiteLoad) => number,
): SiteChoice {
  if (sites.length === 0) {
    return { ranked: [], reason: 'no site is registered and alive right now' };
  }
  let largest = -Infinity;
  let bigEnough = 0;
  const candidates: Candidate[] = [];
  for (const site of sites) {
    largest = Math.max(largest, site.totalSlots);
    if (site.totalSlots < slotsNeeded) continue;
    bigEnough++;
    const free = site.totalSlots - site.reservedSlots;
    if (free >= slotsNeeded) candidates.push({ site, free, rank: 0 });
  }
  if (bigEnough === 0) {
    return {
      ranked: [],
      reason: `the job asks for ${slotsNeeded} slots but the largest of ${sites.length} sites has ${largest}`,
    };
  }
  if (candidates.length === 0) {
    return {
      ranked: [],
      reason: `all ${bigEnough} sites that could take ${slotsNeeded} slots are full`,
    };
  }
  if (rankOf) for (const candidate of candidates) candidate.rank = rankOf(candidate.site);
  candidates.sort((a, b) => b.rank - a.rank || b.free - a.free || byName(a.site.name, b.site.name));
  const ranked = candidates.map((candidate) => candidate.site);
  return rankOf ? { ranked, ranking: candidates.map((candidate) => candidate.rank) } : { ranked };
}
