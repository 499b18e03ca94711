/**
 * DelegationService.putDelegation: completes a request with the proxy the caller signed for it.
 * The chain must validate (GSI validateChain) to the caller's own identity, its first
 * certificate must be a proxy carrying the request's public key, and it must not have expired.
 * A limited proxy is accepted (it is good for data access); the job that names the delegation is
 * started by the caller's own, unlimited, credentials. The chain replaces any earlier one.
 * `renewFrom` names the repository credential (stored with myproxy-init -R) the grid services
 * may renew this proxy from while a job uses it (services/broker/credential-lifetime).
 */
import { X509Certificate, createPublicKey } from 'node:crypto';
import type { CallContext } from '../../common/call-context.ts';
import { globusDnEquals, validateChain } from '../../gsi/index.ts';
import { isGridError } from '../../common/errors.ts';
import { spkiOf } from '../csr.ts';
import type { DelegationDeps } from '../delegation-deps.ts';
import { delegationError } from '../errors.ts';
import { delegationEpr } from '../reference.ts';
import { sealChain } from '../store.ts';
import { ownDelegation } from './pending.ts';

export interface PutDelegationRequest {
  delegationId?: unknown;
  certificateChain?: unknown;
  /** Optional: a credential repository user name to renew the proxy from (kept when absent). */
  renewFrom?: unknown;
}

export interface PutDelegationResponse {
  delegationEpr: string;
  terminationTime: string;
}

/** A repository user name, as the CredentialRepositoryService takes it. */
function checkRenewFrom(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(text)) {
    throw delegationError('DELEGATION_BAD_ID', 'renewFrom must be the user name of a credential stored with weft myproxy-init -R (1-64 letters, digits, . _ @ or -)');
  }
  return text;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function putDelegation(deps: DelegationDeps) {
  return async (request: PutDelegationRequest, context: CallContext): Promise<PutDelegationResponse> => {
    const record = await ownDelegation(deps, request.delegationId, context.identity);
    const id = record.id;
    const renewFrom = request.renewFrom === undefined || request.renewFrom === '' ? record.renewFrom : checkRenewFrom(request.renewFrom);
    const pending = record.pending;
    if (!pending) throw delegationError('DELEGATION_NOT_READY', `the delegation ${id} has no open request: call refreshDelegation first`, { id });
    const pems = typeof request.certificateChain === 'string' ? (request.certificateChain.match(PEM_BLOCK) ?? []) : [];
    if (pems.length === 0) throw delegationError('DELEGATION_BAD_CHAIN', 'certificateChain holds no PEM certificate');
    let chain: X509Certificate[];
    try {
      chain = pems.map((pem) => new X509Certificate(pem));
    } catch (error) {
      throw delegationError('DELEGATION_BAD_CHAIN', `a certificate of the chain cannot be read: ${String(error)}`);
    }
    const now = deps.now?.() ?? new Date();
    let validated;
    try {
      validated = validateChain(chain, deps.trust, now);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw delegationError('DELEGATION_BAD_CHAIN', `the delegated chain does not validate: ${reason}`, {
        id,
        ...(isGridError(error) ? { cause: error.code } : {}),
      });
    }
    if (validated.proxyDepth < 1) throw delegationError('DELEGATION_BAD_CHAIN', 'the first certificate of the chain must be a proxy signed for the request', { id });
    if (!globusDnEquals(validated.identity, context.identity)) {
      throw delegationError('DELEGATION_BAD_CHAIN', `the proxy acts for "${validated.identity}", not for the caller "${context.identity}"`, { id });
    }
    if (spkiOf(createPublicKey(chain[0]!.publicKey.export({ type: 'spki', format: 'pem' }))) !== pending.spki) {
      throw delegationError('DELEGATION_BAD_CHAIN', 'the proxy does not carry the public key of the delegation request', { id });
    }
    const notAfter = new Date(Math.min(...chain.map((cert) => new Date(cert.validTo).getTime())));
    await deps.store.put(
      {
        id,
        owner: record.owner,
        ...(renewFrom === undefined ? {} : { renewFrom }),
        current: { key: pending.key, chain: sealChain(deps.secret, id, pems), subject: validated.chainSubjects[0] ?? '', notAfter: notAfter.toISOString(), limited: validated.limited },
      },
      notAfter,
    );
    context.logger.info({ delegationId: id, notAfter: notAfter.toISOString(), limited: validated.limited, renewFrom }, 'delegation completed');
    return { delegationEpr: delegationEpr(context.baseUrl, id), terminationTime: notAfter.toISOString() };
  };
}
