/** Shared by the operations: a sealed pending request, and finding a caller's own delegation. */
import { globusDnEquals } from '../../gsi/index.ts';
import type { DelegationRequest } from '../csr.ts';
import type { DelegationDeps } from '../delegation-deps.ts';
import { delegationError } from '../errors.ts';
import { delegationIdOf } from '../reference.ts';
import { REQUEST_TTL_SECONDS, sealKey, type DelegationRecord, type PendingRequest } from '../store.ts';

export function newPendingRequest(deps: DelegationDeps, id: string, request: DelegationRequest): PendingRequest {
  const now = deps.now?.() ?? new Date();
  return {
    key: sealKey(deps.secret, id, request.keyPem),
    spki: request.spki,
    csrPem: request.csrPem,
    expiresAt: new Date(now.getTime() + REQUEST_TTL_SECONDS * 1000).toISOString(),
  };
}

/** The caller's own delegation named by `value` (id or EPR); another's is a fault. */
export async function ownDelegation(deps: DelegationDeps, value: unknown, identity: string): Promise<DelegationRecord> {
  const id = delegationIdOf(value);
  const record = await deps.store.get(id);
  if (!record) throw delegationError('DELEGATION_NOT_FOUND', `there is no delegation ${id} (destroyed or expired)`, { id });
  if (!globusDnEquals(record.owner, identity)) {
    throw delegationError('DELEGATION_NOT_OWNER', `the delegation ${id} belongs to another identity`, { id });
  }
  return record;
}
