/**
 * AccountingService.getUsage: jobs, wall and CPU seconds and cost, grouped by user, VO or site —
 * over every owner's records for an accounting administrator, over the caller's own for anyone
 * else (so an ordinary caller's "user" grouping is one line, their own, and no other DN shows).
 * Without from/to the totals are all-time; with either, they sum the records that ended in the
 * window.
 */
import type { UsageDimension, UsageTotal } from '../../broker/index.ts';
import type { CallContext } from '../../common/call-context.ts';
import type { AccountingDeps } from '../accounting-deps.ts';
import { groupingOf, scopeOf, windowOf } from '../usage-request.ts';

export interface GetUsageRequest {
  from?: unknown;
  to?: unknown;
  groupBy?: unknown;
}

export interface GetUsageResponse {
  groupBy: UsageDimension;
  /** `all` for an accounting administrator, `own` for anyone else. */
  scope: 'all' | 'own';
  from?: string;
  to?: string;
  total: UsageTotal[];
}

export function getUsage(deps: AccountingDeps) {
  return async (request: GetUsageRequest, context: CallContext): Promise<GetUsageResponse> => {
    const window = windowOf(request);
    const groupBy = groupingOf(request.groupBy);
    const scope = await scopeOf(deps, context);
    const total =
      window.fromMs === undefined && window.toMs === undefined
        ? await deps.usage.totals(groupBy, scope)
        : await deps.usage.sum(groupBy, window, scope);
    return {
      groupBy,
      scope: scope.owner === undefined ? 'all' : 'own',
      ...(window.fromMs === undefined ? {} : { from: new Date(window.fromMs).toISOString() }),
      ...(window.toMs === undefined ? {} : { to: new Date(window.toMs).toISOString() }),
      total,
    };
  };
}
