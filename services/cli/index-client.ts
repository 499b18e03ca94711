/**
 * The command line's client for the IndexService (site registration and queries), over the same
 * node-soap HTTPS client as the GRAM calls (gram-client.ts).
 */
import { soapSiteDocument, type SiteDocument, type SiteInfo } from '../mds/index.ts';
import type { ClientCredentials } from './gram-client.ts';
import { call, client } from './gram-client.ts';
import { asList } from './soap-values.ts';

const WSDL = 'IndexService.wsdl';

/** The IndexService URL of a container, `https://host:port`. */
export function indexServiceUrl(baseUrl: string): string {
  return `${baseUrl}/wsrf/services/IndexService`;
}


function normalize(raw: Record<string, unknown>): SiteInfo {
  const number = (key: string) => (raw[key] === undefined ? undefined : Number(raw[key]));
  const info: Record<string, unknown> = { ...raw };
  for (const key of ['totalCpus', 'freeCpus', 'runningJobs', 'waitingJobs', 'memoryMB', 'maxWallTimeMinutes', 'pricePerCpuHour', 'ttlSeconds', 'expiresInSeconds']) {
    if (raw[key] !== undefined) info[key] = number(key);
  }
  if (raw.tag !== undefined) info.tag = asList(raw.tag as string | string[]).map(String);
  if (raw.vo !== undefined) info.vo = asList(raw.vo as string | string[]).map(String);
  if (raw.updatedAt instanceof Date) info.updatedAt = raw.updatedAt.toISOString();
  if (raw.quarantinedUntil instanceof Date) info.quarantinedUntil = raw.quarantinedUntil.toISOString();
  return info as unknown as SiteInfo;
}

export async function registerSite(url: string, document: SiteDocument, credentials: ClientCredentials): Promise<SiteInfo> {
  const answer = await call<{ site: Record<string, unknown> }>(await client(WSDL, url, credentials), 'registerSite', { site: soapSiteDocument(document) }, url);
  return normalize(answer.site);
}

export async function refreshSite(url: string, name: string, credentials: ClientCredentials): Promise<SiteInfo> {
  const answer = await call<{ site: Record<string, unknown> }>(await client(WSDL, url, credentials), 'refreshSite', { name }, url);
  return normalize(answer.site);
}

export async function unregisterSite(url: string, name: string, credentials: ClientCredentials): Promise<boolean> {
  const answer = await call<{ removed: string | boolean }>(await client(WSDL, url, credentials), 'unregisterSite', { name }, url);
  return String(answer.removed) === 'true';
}

export async function querySites(url: string, filter: string, credentials: ClientCredentials): Promise<SiteInfo[]> {
  const answer = await call<{ site?: Record<string, unknown> | Array<Record<string, unknown>> } | null>(
    await client(WSDL, url, credentials),
    'querySites',
    filter ? { filter } : {},
    url,
  );
  return asList(answer?.site).map(normalize);
}

export async function getSite(url: string, name: string, credentials: ClientCredentials): Promise<SiteInfo> {
  const answer = await call<{ site: Record<string, unknown> }>(await client(WSDL, url, credentials), 'getSite', { name }, url);
  return normalize(answer.site);
}
