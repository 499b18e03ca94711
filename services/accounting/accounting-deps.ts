/** What the AccountingService's operations need: where usage is read, and who sees everyone's. */
import { listUsage, readUsageTotals, sumUsage } from '../broker/index.ts';
import type { UsageDimension, UsageRecord, UsageScope, UsageTotal, UsageWindow } from '../broker/index.ts';
import type { RedisClient } from '../common/redis.ts';
import type { AccountingAdminCheck } from './accounting-admins.ts';

/** The usage the brokers record (services/broker/accounting/), read-only. */
export interface UsageReader {
  /** All-time totals. */
  totals(by: UsageDimension, scope: UsageScope): Promise<UsageTotal[]>;
  /** Totals over the records that ended in the window. */
  sum(by: UsageDimension, window: UsageWindow, scope: UsageScope): Promise<UsageTotal[]>;
  /** The newest records that ended in the window, newest first. */
  list(window: UsageWindow, limit: number, scope: UsageScope): Promise<UsageRecord[]>;
}

export interface AccountingDeps {
  readonly usage: UsageReader;
  readonly isAdministrator: AccountingAdminCheck;
}

export function createRedisUsageReader(redis: RedisClient): UsageReader {
  return {
    totals: (by, scope) => readUsageTotals(redis, by, scope),
    sum: (by, window, scope) => sumUsage(redis, by, window, scope),
    list: (window, limit, scope) => listUsage(redis, window, limit, scope),
  };
}
