/**
 * Renews one delegation's proxy from the credential repository, MyProxy style: the broker acts as
 * the renewer (it runs as the grid services' DN) and presents the delegation's current, still
 * valid proxy of the owner; the repository credential named by the delegation's `renewFrom`
 * signs a new proxy for the delegation's existing key (new proxy ← stored proxy ← … ← EEC), and
 * it replaces the delegation's chain. A Redis lock per delegation lets every broker run this:
 * one renews, the others find the proxy already long enough. The owner does not take the lock:
 * the write is a compare-and-set against the one read (store.ts replaceCurrent), so an owner who
 * destroyed, refreshed or put the delegation meanwhile wins and the renewal is dropped.
 */
import { X509Certificate } from 'node:crypto';
import { isGridError } from '../../common/errors.ts';
import type { RedisClient } from '../../common/redis.ts';
import {
  openDelegatedCredential,
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

/**
 * The reason when another broker holds the lock, or the owner changed the delegation while it was
 * being renewed: not worth telling the user, and looked at again soon.
 */
export const BUSY = 'another broker is renewing it, or its owner changed it meanwhile';
const lockKey = (id: string) => `weft:delegation:renew-lock:${id}`;
const LOCK_MS = 30_000;
/* KEYS[1] the lock; ARGV[1] our token: deletes the lock only while it is still ours. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

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
    // MyProxy's second authentication: the proxy being renewed must still be valid. Its key is
    // taken from the same read the compare-and-set below checks against.
    const credential = openDelegatedCredential(record, deps.secret, now);
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
    const replaced = await replaceDelegatedChain(deps.delegations, deps.secret, record, chain, globusSubjectOf(new X509Certificate(renewed.certPem)), renewed.notAfter);
    if (!replaced) return { kind: 'not renewed', reason: BUSY };
    return { kind: 'renewed', notAfter: renewed.notAfter, from: record.renewFrom };
  } catch (error) {
    if (!isGridError(error)) throw error;
    return { kind: 'not renewed', reason: `${error.code}: ${error.message}` };
  } finally {
    // Release only our own lock (a slow renewal may have outlived it), in one step.
    await deps.redis.eval(RELEASE_SCRIPT, 1, lockKey(id), token);
  }
}
