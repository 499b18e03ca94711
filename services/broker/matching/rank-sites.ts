/**
 * System selection for the spine: keep the sites big enough for the job, then prefer the one
 * with the most free slots (ties by name, so decisions are reproducible). Matchmaking
 * expressions and economic policies (issue 5) plug in here.
 */
import type { SiteLoad } from '../../common/site-registry.ts';

export interface SiteChoice {
  /** Sites in the order the broker should try to reserve them. */
  readonly ranked: readonly SiteLoad[];
  /** Why nothing fits, in words, when `ranked` is empty. */
  readonly reason?: string;
}

export function rankSites(sites: readonly SiteLoad[], slotsNeeded: number): SiteChoice {
  if (sites.length === 0) {
    return { ranked: [], reason: 'no site is registered and alive right now' };
  }
  const bigEnough = sites.filter((site) => site.totalSlots >= slotsNeeded);
  if (bigEnough.length === 0) {
    const largest = Math.max(...sites.map((site) => site.totalSlots));
    return {
      ranked: [],
      reason: `the job asks for ${slotsNeeded} slots but the largest of ${sites.length} sites has ${largest}`,
    };
  }
  const free = (site: SiteLoad) => site.totalSlots - site.reservedSlots;
  const withRoom = bigEnough.filter((site) => free(site) >= slotsNeeded);
  if (withRoom.length === 0) {
    return {
      ranked: [],
      reason: `all ${bigEnough.length} sites that could take ${slotsNeeded} slots are full`,
    };
  }
  const ranked = [...withRoom].sort((a, b) => free(b) - free(a) || a.name.localeCompare(b.name));
  return { ranked };
}
