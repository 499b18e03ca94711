/**
 * DelegationService.requestDelegation: the service makes a key pair and answers with a PKCS#10
 * request for it and the new delegation's id. The private key never leaves the service except
 * sealed into Redis; the request lives REQUEST_TTL_SECONDS until putDelegation completes it.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext } from '../../common/call-context.ts';
import { makeDelegationRequest } from '../csr.ts';
import type { DelegationDeps } from '../delegation-deps.ts';
import { delegationEpr } from '../reference.ts';
import { newPendingRequest } from './pending.ts';

export interface RequestDelegationResponse {
  delegationId: string;
  certificateRequest: string;
  delegationEpr: string;
}

export function requestDelegation(deps: DelegationDeps) {
  return async (_request: unknown, context: CallContext): Promise<RequestDelegationResponse> => {
    const id = randomUUID();
    const request = await makeDelegationRequest();
    const pending = newPendingRequest(deps, id, request);
    await deps.store.put({ id, owner: context.identity, pending }, new Date(pending.expiresAt));
    context.logger.info({ delegationId: id }, 'delegation requested');
    return { delegationId: id, certificateRequest: request.csrPem, delegationEpr: delegationEpr(context.baseUrl, id) };
  };
}
