/**
 * Reading every live site costs a few Redis commands per site; at 1,000 sites that, not the
 * matcher, bounds how fast a broker places jobs. So a broker reuses one reading for a short
 * while. Correctness does not depend on it: a reservation is still one atomic script that checks
 * the site exists and has room, so a stale list can only make a broker try a site that filled up
 * meanwhile (the reservation fails and it tries the next). Within the window the broker counts
 * its own reservations into the list, so its ranking stays close to the truth.
 */
import type { SiteLoad, SiteRegistry } from '../common/site-registry.ts';

export interface CachedSiteRegistry extends SiteRegistry {
  /** Drops the current reading (a job ended: its site has room the reading does not show). */
  forget(): void;
}

export function withCachedSiteList(registry: SiteRegistry, maxAgeMs: number): CachedSiteRegistry {
  if (maxAgeMs <= 0) return { ...bound(registry), forget: () => undefined };
  let reading: { at: number; sites: Promise<SiteLoad[]> } | undefined;

  function adjust(site: string, change: (load: SiteLoad) => SiteLoad) {
    const current = reading;
    if (!current) return;
    current.sites = current.sites.then((sites) => sites.map((load) => (load.name === site ? change(load) : load)));
  }

  return {
    forget: () => {
      reading = undefined;
    },
    publish: (record) => registry.publish(record),
    release: (site, jobId) => registry.release(site, jobId),
    listLive() {
      const now = Date.now();
      if (!reading || now - reading.at > maxAgeMs) {
        const fresh = { at: now, sites: registry.listLive() };
        fresh.sites.catch(() => {
          if (reading === fresh) reading = undefined; // never keep a failed reading
        });
        reading = fresh;
      }
      return reading.sites;
    },
    async reserve(site, jobId, slots) {
      const reserved = await registry.reserve(site, jobId, slots);
      adjust(site, (load) =>
        reserved
          ? { ...load, reservedSlots: load.reservedSlots + slots }
          : { ...load, reservedSlots: load.totalSlots }, // full (or gone) as far as this window goes
      );
      return reserved;
    },
  };
}

function bound(registry: SiteRegistry): SiteRegistry {
  return {
    publish: (record) => registry.publish(record),
    listLive: () => registry.listLive(),
    reserve: (site, jobId, slots) => registry.reserve(site, jobId, slots),
    release: (site, jobId) => registry.release(site, jobId),
  };
}
