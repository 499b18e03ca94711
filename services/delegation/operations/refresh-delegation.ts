/**
 * DelegationService.refreshDelegation: a new key pair and request for an existing delegation;
 * the current chain stays usable until putDelegation replaces it.
 */
import type { CallContext } from '../../common/call-context.ts';
import { makeDelegationRequest } from '../csr.ts';
import type { DelegationDeps } from '../delegation-deps.ts';
import { delegationEpr } from '../reference.ts';
import { newPendingRequest, ownDelegation } from './pending.ts';
import type { RequestDelegationResponse } from './request-delegation.ts';

export function refreshDelegation(deps: DelegationDeps) {
  return async (request: { delegationId?: unknown }, context: CallContext): Promise<RequestDelegationResponse> => {
    const record = await ownDelegation(deps, request.delegationId, context.identity);
    const made = await makeDelegationRequest();
    const pending = newPendingRequest(deps, record.id, made);
    const until = Math.max(new Date(pending.expiresAt).getTime(), record.current ? new Date(record.current.notAfter).getTime() : 0);
    await deps.store.put({ ...record, pending }, new Date(until));
    context.logger.info({ delegationId: record.id }, 'delegation refresh requested');
    return { delegationId: record.id, certificateRequest: made.csrPem, delegationEpr: delegationEpr(context.baseUrl, record.id) };
  };
}
