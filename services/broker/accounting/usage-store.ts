/**
 * The read side of accounting: totals per user, VO or site, and the records themselves, over
 * everyone's usage or one owner's (the AccountingService decides which a caller gets).
 *
 * - All-time totals come from the running totals (exact, however many records the streams keep).
 * - Totals over a time window are summed from the records whose end lies in it, so they cover
 *   what the streams keep (the last `WEFT_BROKER_USAGE_MAX_RECORDS`, everyone's and each
 *   owner's). A record is written after its job ended, so its stream id (ms) is never before its
 *   end: the scan starts at `from` and reads to the newest record.
 */
import type { RedisClient } from '../../common/redis.ts';
import { USAGE_STREAM, ownerUsageStreamKey, ownerUsageTotalsKey, usageTotalsKey } from '../../common/redis-keys.ts';
import { totalsNames, type UsageDimension, type UsageRecord } from './usage-record.ts';

export type { UsageDimension } from './usage-record.ts';

export const USAGE_MEASURES = ['jobs', 'wallSeconds', 'cpuSeconds', 'cost'] as const;
export type UsageMeasure = (typeof USAGE_MEASURES)[number];

export interface UsageTotal {
  readonly name: string;
  readonly jobs: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly cost: number;
}

/** Whose usage: one owner's (by DN), or everyone's when `owner` is undefined. */
export interface UsageScope {
  readonly owner?: string;
}

/** Ends from `fromMs` to `toMs` inclusive; either may be open. */
export interface UsageWindow {
  readonly fromMs?: number;
  readonly toMs?: number;
}

/** The field of an owner's totals hash holding one measure of one name. */
export const ownerTotalsField = (by: UsageDimension, measure: UsageMeasure, name: string) => `${by}:${measure}:${name}`;

const PAGE = 1000;
const round = (value: number) => Math.round(value * 1e6) / 1e6;
const sorted = (totals: UsageTotal[]) => totals.sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name));

/** All-time totals in one dimension, most costly first (then by name). */
export async function readUsageTotals(redis: RedisClient, by: UsageDimension, scope: UsageScope = {}): Promise<UsageTotal[]> {
  const measures = new Map<UsageMeasure, Record<string, string>>();
  if (scope.owner === undefined) {
    const hashes = await Promise.all(USAGE_MEASURES.map((measure) => redis.hgetall(usageTotalsKey(by, measure))));
    USAGE_MEASURES.forEach((measure, index) => measures.set(measure, hashes[index] ?? {}));
  } else {
    const own = await redis.hgetall(ownerUsageTotalsKey(scope.owner));
    for (const measure of USAGE_MEASURES) measures.set(measure, {});
    for (const [field, value] of Object.entries(own)) {
      const [fieldBy, measure] = field.split(':', 2) as [string, UsageMeasure];
      if (fieldBy !== by || !measures.has(measure)) continue;
      measures.get(measure)![field.slice(by.length + measure.length + 2)] = value;
    }
  }
  const jobs = measures.get('jobs') ?? {};
  const number = (measure: UsageMeasure, name: string) => round(Number(measures.get(measure)?.[name] ?? 0));
  return sorted(
    Object.keys(jobs).map((name) => ({
      name,
      jobs: Number(jobs[name] ?? 0),
      wallSeconds: number('wallSeconds', name),
      cpuSeconds: number('cpuSeconds', name),
      cost: number('cost', name),
    })),
  );
}

/** A record as the stream holds it (every value a string). */
function recordOf(fields: readonly string[]): UsageRecord {
  const raw: Record<string, string> = {};
  for (let index = 0; index + 1 < fields.length; index += 2) raw[fields[index]!] = fields[index + 1]!;
  const number = (name: string) => Number(raw[name] ?? 0) || 0;
  return {
    jobId: raw.jobId ?? '',
    owner: raw.owner ?? '',
    vo: raw.vo ?? '',
    site: raw.site ?? '',
    state: raw.state === 'Done' ? 'Done' : 'Failed',
    startedAt: raw.startedAt ?? '',
    endedAt: raw.endedAt ?? '',
    wallSeconds: number('wallSeconds'),
    cpuSeconds: number('cpuSeconds'),
    pricePerCpuHour: number('pricePerCpuHour'),
    cost: number('cost'),
    ...(raw.exitCode === undefined ? {} : { exitCode: number('exitCode') }),
    ...(raw.failureCode === undefined ? {} : { failureCode: raw.failureCode }),
  };
}

function inWindow(record: UsageRecord, window: UsageWindow): boolean {
  const ended = Date.parse(record.endedAt);
  if (!Number.isFinite(ended)) return false;
  return (window.fromMs === undefined || ended >= window.fromMs) && (window.toMs === undefined || ended <= window.toMs);
}

const streamOf = (scope: UsageScope) => (scope.owner === undefined ? USAGE_STREAM : ownerUsageStreamKey(scope.owner));

/** Totals in one dimension over the records that ended in `window`. */
export async function sumUsage(redis: RedisClient, by: UsageDimension, window: UsageWindow, scope: UsageScope = {}): Promise<UsageTotal[]> {
  const sums = new Map<string, { name: string; jobs: number; wallSeconds: number; cpuSeconds: number; cost: number }>();
  let start = window.fromMs === undefined ? '-' : String(window.fromMs);
  for (;;) {
    const page = await redis.xrange(streamOf(scope), start, '+', 'COUNT', PAGE);
    for (const [, fields] of page) {
      const record = recordOf(fields);
      if (!inWindow(record, window)) continue;
      const name = totalsNames(record)[by];
      const sum = sums.get(name) ?? { name, jobs: 0, wallSeconds: 0, cpuSeconds: 0, cost: 0 };
      sum.jobs += 1;
      sum.wallSeconds += record.wallSeconds;
      sum.cpuSeconds += record.cpuSeconds;
      sum.cost += record.cost;
      sums.set(name, sum);
    }
    if (page.length < PAGE) break;
    start = `(${page.at(-1)![0]}`;
  }
  return sorted(
    [...sums.values()].map((sum) => ({ ...sum, wallSeconds: round(sum.wallSeconds), cpuSeconds: round(sum.cpuSeconds), cost: round(sum.cost) })),
  );
}

/** The newest `limit` records that ended in `window`, newest first. */
export async function listUsage(redis: RedisClient, window: UsageWindow, limit: number, scope: UsageScope = {}): Promise<UsageRecord[]> {
  const found: UsageRecord[] = [];
  const floor = window.fromMs === undefined ? '-' : String(window.fromMs);
  let end = '+';
  while (found.length < limit) {
    const page = await redis.xrevrange(streamOf(scope), end, floor, 'COUNT', PAGE);
    for (const [, fields] of page) {
      const record = recordOf(fields);
      if (inWindow(record, window)) found.push(record);
      if (found.length === limit) break;
    }
    if (page.length < PAGE) break;
    end = `(${page.at(-1)![0]}`;
  }
  return found;
}
