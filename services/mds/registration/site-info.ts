/** A live site as the IndexService answers it (SiteInfo in wsdl/index-types.xsd). */
import type { FetchedSite } from '../sync/site-source.ts';
import { siteFigures } from '../views/site-snapshot.ts';

export interface SiteInfo {
  name: string;
  contact: string;
  lrms: string;
  totalCpus: number;
  freeCpus: number;
  runningJobs: number;
  waitingJobs: number;
  memoryMB?: number;
  opSys?: string;
  arch?: string;
  tag?: string[];
  maxWallTimeMinutes?: number;
  pricePerCpuHour?: number;
  vo?: string[];
  policy?: string;
  updatedAt: string;
  ttlSeconds: number;
  expiresInSeconds: number;
  /** While brokers quarantine the site: when that ends (ISO). */
  quarantinedUntil?: string;
}

export function siteInfoOf(site: FetchedSite): SiteInfo {
  const { record } = site.snapshot;
  const figures = siteFigures(site.snapshot);
  // Element order follows the XSD sequence: node-soap writes keys in insertion order.
  const info: SiteInfo = {
    name: record.name,
    contact: record.contact,
    lrms: record.lrms,
    totalCpus: record.totalSlots,
    freeCpus: figures.freeCpus,
    runningJobs: figures.runningJobs,
    waitingJobs: figures.waitingJobs,
    ...(record.memoryMB === undefined ? {} : { memoryMB: record.memoryMB }),
    ...(record.opSys === undefined ? {} : { opSys: record.opSys }),
    ...(record.arch === undefined ? {} : { arch: record.arch }),
    ...(record.tags === undefined ? {} : { tag: [...record.tags] }),
    ...(record.maxWallTimeMinutes === undefined ? {} : { maxWallTimeMinutes: record.maxWallTimeMinutes }),
    ...(record.pricePerCpuHour === undefined ? {} : { pricePerCpuHour: record.pricePerCpuHour }),
    ...(record.vos === undefined ? {} : { vo: [...record.vos] }),
    ...(record.policy === undefined ? {} : { policy: record.policy }),
    updatedAt: record.updatedAt,
    ttlSeconds: record.ttlSeconds,
    expiresInSeconds: Number.isFinite(site.expiresInMs) ? Math.max(0, Math.ceil(site.expiresInMs / 1000)) : record.ttlSeconds,
    ...(site.quarantinedUntil === undefined ? {} : { quarantinedUntil: site.quarantinedUntil }),
  };
  return info;
}
