/**
 * A live site as `other` in matchmaking expressions, under the names DESIGN.md gives (Information
 * model): Name, Contact, LrmsType, TotalCpus, FreeCpus (total slots less those brokers have
 * reserved), RunningJobs, WaitingJobs, MemoryMB, OpSys, Arch, Tags (a list), MaxWallTime
 * (minutes), Price (per CPU-hour, a real), VOs (a list) and Age (whole seconds since the site's
 * last refresh), plus the clock as the site sees it — HourOfDay (0–23) and DayOfWeek (0 = Sunday
 * … 6), in UTC — for time-of-day policies. Whatever a site does not publish is UNDEFINED, which is what three-valued
 * logic is for: `other.MemoryMB >= 4096` neither matches nor breaks at a site that says nothing.
 */
import type { SiteLoad } from '../../common/site-registry.ts';
import type { Ad } from './expression/ad.ts';
import { integerValue, listValue, realValue, stringValue, type Value } from './expression/value.ts';

/**
 * The optional facts a site record may carry. Declared here, structurally, so that matching
 * reads them when the registry provides them and compiles against older records too.
 */
export type MatchSite = SiteLoad &
  Partial<{
    readonly memoryMB: number;
    readonly opSys: string;
    readonly arch: string;
    readonly tags: readonly string[];
    readonly maxWallTimeMinutes: number;
    readonly pricePerCpuHour: number;
    readonly vos: readonly string[];
    readonly runningJobs: number;
    readonly waitingJobs: number;
  }>;

const int = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n) ? undefined : integerValue(Math.trunc(n));
const str = (s: string | undefined) => (s === undefined ? undefined : stringValue(s));
const strings = (items: readonly string[] | undefined) =>
  items === undefined ? undefined : listValue(items.map(stringValue));

// Parsing an ISO time costs more than evaluating a clause, and a site's updatedAt stays the same
// from one refresh to the next while the broker makes many decisions: remember recent ones.
const UPDATED_AT_CACHE_SIZE = 20_000;
const updatedAtCache = new Map<string, number>();

function updatedAtMs(updatedAt: string): number {
  let ms = updatedAtCache.get(updatedAt);
  if (ms === undefined) {
    ms = Date.parse(updatedAt);
    if (updatedAtCache.size >= UPDATED_AT_CACHE_SIZE) updatedAtCache.clear();
    updatedAtCache.set(updatedAt, ms);
  }
  return ms;
}

/** Free slots: what brokers have not reserved. */
export function freeSlots(site: SiteLoad): number {
  return site.totalSlots - site.reservedSlots;
}

/** `other` for one site, as seen at `nowMs`. Attributes are computed when read, not before. */
export function siteAd(site: MatchSite, nowMs: number): Ad {
  return {
    lookup(key): Value | undefined {
      switch (key) {
        case 'name':
          return stringValue(site.name);
        case 'contact':
          return stringValue(site.contact);
        case 'lrmstype':
          return stringValue(site.lrms);
        case 'totalcpus':
          return int(site.totalSlots);
        case 'freecpus':
          return int(freeSlots(site));
        case 'runningjobs':
          return int(site.runningJobs);
        case 'waitingjobs':
          return int(site.waitingJobs);
        case 'memorymb':
          return int(site.memoryMB);
        case 'opsys':
          return str(site.opSys);
        case 'arch':
          return str(site.arch);
        case 'tags':
          return strings(site.tags);
        case 'maxwalltime':
          return int(site.maxWallTimeMinutes);
        case 'price':
          return site.pricePerCpuHour === undefined ? undefined : realValue(site.pricePerCpuHour);
        case 'vos':
          return strings(site.vos);
        case 'age': {
          const updated = updatedAtMs(site.updatedAt);
          return Number.isNaN(updated) ? undefined : integerValue(Math.max(0, Math.floor((nowMs - updated) / 1000)));
        }
        case 'hourofday':
          return integerValue(new Date(nowMs).getUTCHours());
        case 'dayofweek':
          return integerValue(new Date(nowMs).getUTCDay());
        default:
          return undefined;
      }
    },
  };
}
