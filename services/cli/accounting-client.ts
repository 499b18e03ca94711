/**
 * The command line's client for the AccountingService (usage totals and records), over the same
 * node-soap HTTPS client as the GRAM calls (gram-client.ts).
 */
import type { GetUsageResponse } from '../accounting/index.ts';
import type { UsageDimension, UsageRecord, UsageTotal } from '../broker/index.ts';
import type { ClientCredentials } from './gram-client.ts';
import { call, client } from './gram-client.ts';
import { asList } from './soap-values.ts';

const WSDL = 'AccountingService.wsdl';

/** The AccountingService URL of a container, `https://host:port`. */
export function accountingServiceUrl(baseUrl: string): string {
  return `${baseUrl}/wsrf/services/AccountingService`;
}

// node-soap answers numbers as text and dates as Date (soap-values.ts for repeated elements).
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

function totalOf(raw: Record<string, unknown>): UsageTotal {
  return {
    name: String(raw.name ?? ''),
    jobs: Number(raw.jobs ?? 0),
    wallSeconds: Number(raw.wallSeconds ?? 0),
    cpuSeconds: Number(raw.cpuSeconds ?? 0),
    cost: Number(raw.cost ?? 0),
  };
}

function recordOf(raw: Record<string, unknown>): UsageRecord {
  return {
    jobId: String(raw.jobId ?? ''),
    owner: String(raw.owner ?? ''),
    vo: String(raw.vo ?? ''),
    site: String(raw.site ?? ''),
    state: raw.state === 'Done' ? 'Done' : 'Failed',
    startedAt: raw.startedAt === undefined ? '' : iso(raw.startedAt),
    endedAt: iso(raw.endedAt),
    wallSeconds: Number(raw.wallSeconds ?? 0),
    cpuSeconds: Number(raw.cpuSeconds ?? 0),
    pricePerCpuHour: Number(raw.pricePerCpuHour ?? 0),
    cost: Number(raw.cost ?? 0),
    ...(raw.exitCode === undefined ? {} : { exitCode: Number(raw.exitCode) }),
    ...(raw.failureCode === undefined ? {} : { failureCode: String(raw.failureCode) }),
  };
}

export interface UsageQuery {
  readonly from?: string;
  readonly to?: string;
  readonly groupBy?: UsageDimension;
}

export async function getUsage(url: string, query: UsageQuery, credentials: ClientCredentials): Promise<GetUsageResponse> {
  const answer = await call<Record<string, unknown> | null>(await client(WSDL, url, credentials), 'getUsage', { ...query }, url);
  return {
    groupBy: String(answer?.groupBy ?? query.groupBy ?? 'user') as UsageDimension,
    scope: answer?.scope === 'all' ? 'all' : 'own',
    ...(answer?.from === undefined ? {} : { from: iso(answer.from) }),
    ...(answer?.to === undefined ? {} : { to: iso(answer.to) }),
    total: asList(answer?.total as Record<string, unknown> | Array<Record<string, unknown>> | undefined).map(totalOf),
  };
}

export async function listUsageRecords(
  url: string,
  query: { readonly from?: string; readonly to?: string; readonly limit?: number },
  credentials: ClientCredentials,
): Promise<UsageRecord[]> {
  const answer = await call<{ record?: Record<string, unknown> | Array<Record<string, unknown>> } | null>(
    await client(WSDL, url, credentials),
    'listUsageRecords',
    { ...query },
    url,
  );
  return asList(answer?.record).map(recordOf);
}
