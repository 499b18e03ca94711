/**
 * Reading an accounting request: the time window, the grouping, the record limit, and whose usage
 * the caller may see. Bad input is a client fault with its own code, and nothing is read.
 */
import type { UsageDimension, UsageScope, UsageWindow } from '../broker/index.ts';
import type { CallContext } from '../common/call-context.ts';
import type { AccountingDeps } from './accounting-deps.ts';
import { parseIsoTime } from '../common/iso-time.ts';
import { accountingError } from './errors.ts';

export const GROUPINGS: readonly UsageDimension[] = ['user', 'vo', 'site'];
export const MAX_RECORDS = 1000;
export const DEFAULT_RECORDS = 100;


function timeOf(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw accountingError('ACCOUNTING_BAD_TIME', `${name} is not a valid time`);
    return value.getTime();
  }
  const text = typeof value === 'string' ? value.trim() : '';
  const ms = parseIsoTime(text);
  if (ms === undefined) {
    throw accountingError('ACCOUNTING_BAD_TIME', `${name} "${String(value).slice(0, 64)}" is not an ISO 8601 time with a zone`, { [name]: String(value).slice(0, 64) });
  }
  return ms;
}

export function windowOf(request: { from?: unknown; to?: unknown }): UsageWindow {
  const fromMs = timeOf(request.from, 'from');
  const toMs = timeOf(request.to, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    throw accountingError('ACCOUNTING_BAD_RANGE', `from ${new Date(fromMs).toISOString()} is after to ${new Date(toMs).toISOString()}`);
  }
  return { ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }) };
}

export function groupingOf(value: unknown): UsageDimension {
  if (value === undefined || value === null || value === '') return 'user';
  if (typeof value === 'string' && (GROUPINGS as readonly string[]).includes(value)) return value as UsageDimension;
  throw accountingError('ACCOUNTING_BAD_GROUP_BY', `groupBy takes user, vo or site, not "${String(value).slice(0, 64)}"`);
}

export function limitOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_RECORDS;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECORDS) {
    throw accountingError('ACCOUNTING_BAD_LIMIT', `limit must be a whole number from 1 to ${MAX_RECORDS}, not "${String(value).slice(0, 64)}"`);
  }
  return limit;
}

/** Everyone's usage for an accounting administrator; the caller's own for anyone else. */
export async function scopeOf(deps: AccountingDeps, context: CallContext): Promise<UsageScope> {
  return (await deps.isAdministrator(context.identity)) ? {} : { owner: context.identity };
}
