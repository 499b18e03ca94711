/** DelegationService.getTerminationTime: when the caller's delegated proxy (or open request) ends. */
import type { CallContext } from '../../common/call-context.ts';
import type { DelegationDeps } from '../delegation-deps.ts';
import { ownDelegation } from './pending.ts';

export function getTerminationTime(deps: DelegationDeps) {
  return async (request: { delegationId?: unknown }, context: CallContext): Promise<{ terminationTime: string; completed: boolean }> => {
    const record = await ownDelegation(deps, request.delegationId, context.identity);
    return {
      terminationTime: record.current?.notAfter ?? record.pending?.expiresAt ?? new Date(0).toISOString(),
      completed: record.current !== undefined,
    };
  };
}
