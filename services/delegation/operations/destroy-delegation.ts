/** DelegationService.destroyDelegation: the owner removes the delegation (key and chain) now. */
import type { CallContext } from '../../common/call-context.ts';
import type { DelegationDeps } from '../delegation-deps.ts';
import { ownDelegation } from './pending.ts';

export function destroyDelegation(deps: DelegationDeps) {
  return async (request: { delegationId?: unknown }, context: CallContext): Promise<{ destroyed: boolean }> => {
    const record = await ownDelegation(deps, request.delegationId, context.identity);
    const destroyed = await deps.store.delete(record.id);
    context.logger.info({ delegationId: record.id }, 'delegation destroyed');
    return { destroyed };
  };
}
