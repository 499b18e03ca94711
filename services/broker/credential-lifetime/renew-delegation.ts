/**
 * Renews one delegation's proxy from the credential repository, MyProxy style: the broker acts as
 * the renewer (it runs as the grid services' DN) and presents the delegation's current, still
 * valid proxy of the owner; the repository credential named by the delegation's `renewFrom`
 * signs a new proxy for the delegation's existing key (new proxy ← stored proxy ← … ← EEC), and
 * it replaces the delegation's chain. A Redis lock per delegation lets every broker run this:
 * one renews, the others find the proxy already long enough.
 */
import { X509Certificate } from 'node:crypto';
import { isGridError } from '../../common/errors.ts';
import type { RedisClient } from '../../common/redis.ts';
import {
  readDelegatedCredential,
  replaceDelegatedChain,
  type DelegationStore,
} from '../../delegation/index.ts';
import { globusSubjectOf } from '../../gsi/index.ts';
import { renewFromRepository, type RepositoryStore } from '../../myproxy/index.ts';

export interface RenewalDeps {
  readonly redis: RedisClient;
  readonly delegations: DelegationStore;
  readonly repository: RepositoryStore;
  /** The grid services' shared secret (delegations and renewable credentials are sealed with it). */
  readonly secret: Buffer;
  /** The DN this broker renews as: the grid services' host certificate subject. */
  readonly renewerDn: string;
}

export type RenewalOutcome =
  | { readonly kind: 'renewed'; readonly notAfter: Date; readonly from: string }
  /** Already long enough (another broker renewed it, or the owner refreshed it). */
  | { readonly kind: 'enough'; readonly notAfter: Date }
  | { readonly kind: 'not renewed'; readonly reason: string };

/** The reason when another broker holds the lock: not worth telling the user. */
export const BUSY = 'another broker is renewing it';
const lockKey = (id: string) => `weft:delegation:renew-lock:${id}`;
const LOCK_MS = 30_000;

/**
 * Renews delegation `id` when `stillDue` says its current end is too early. Answers the new end,
 * or why it was not renewed (no renewFrom, not renewable by this DN, another broker at it …).
 */
export async function renewDelegation(deps: RenewalDeps, id: string, stillDue: (notAfter: Date) => boolean, now = new Date()): Promise<RenewalOutcome> {
  const token = `${process.pid}:${Math.random()}`;
  if ((await deps.redis.set(lockKey(id), token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
    return { kind: 'not renewed', reason: BUSY };
  }
  try {
    const record = await deps.delegations.get(id);
    if (!record?.current) return { kind: 'not renewed', reason: 'the delegation is gone' };
    const current = new Date(record.current.notAfter);
    if (!stillDue(current)) return { kind: 'enough', notAfter: current };
    if (!record.renewFrom) return { kind: 'not renewed', reason: 'the delegation names no renewable credential (renewFrom)' };
    // MyProxy's second authentication: the proxy being renewed must still be valid.
    const credential = await readDelegatedCredential(deps.delegations, deps.secret, id, now);
    const renewed = await renewFromRepository(deps.repository, deps.secret, {
      username: record.renewFrom,
      renewer: deps.renewerDn,
      owner: record.owner,
      publicKey: new X509Certificate(credential.certPem).publicKey,
      limited: record.current.limited,
      now,
    });
    if (renewed.notAfter <= current) return { kind: 'not renewed', reason: `the credential ${record.renewFrom} ends no later than the proxy it would renew` };
    const chain = [renewed.certPem, ...renewed.chainPems];
    await replaceDelegatedChain(deps.delegations, deps.secret, record, chain, globusSubjectOf(new X509Certificate(renewed.certPem)), renewed.notAfter);
    return { kind: 'renewed', notAfter: renewed.notAfter, from: record.renewFrom };
  } catch (error) {
    if (!isGridError(error)) throw error;
    return { kind: 'not renewed', reason: `${error.code}: ${error.message}` };
  } finally {
    // Release only our own lock (a slow renewal may have outlived it).
    if ((await deps.redis.get(lockKey(id))) === token) await deps.redis.del(lockKey(id));
  }
}
