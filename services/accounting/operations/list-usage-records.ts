/**
 * AccountingService.listUsageRecords: the newest usage records (one per ended job) that ended in
 * the window, newest first, at most `limit` (1-1000, default 100) — everyone's for an accounting
 * administrator, the caller's own for anyone else.
 */
import type { UsageRecord } from '../../broker/index.ts';
import type { CallContext } from '../../common/call-context.ts';
import type { AccountingDeps } from '../accounting-deps.ts';
import { limitOf, scopeOf, windowOf } from '../usage-request.ts';

export interface ListUsageRecordsRequest {
  from?: unknown;
  to?: unknown;
  limit?: unknown;
}

export function listUsageRecords(deps: AccountingDeps) {
  return async (request: ListUsageRecordsRequest, context: CallContext): Promise<{ record: UsageRecord[] }> => {
    const window = windowOf(request);
    const limit = limitOf(request.limit);
    const scope = await scopeOf(deps, context);
    const records = await deps.usage.list(window, limit, scope);
    // xsd:dateTime has no empty value: a job that never started has no startedAt. (Keys stay in
    // the schema's sequence order, which node-soap writes them in.)
    return {
      record: records.map((record) => {
        if (record.startedAt) return record;
        const { startedAt: _never, ...rest } = record;
        return rest as UsageRecord;
      }),
    };
  };
}
