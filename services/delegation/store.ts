/**
 * Delegations in Redis: one JSON value per delegation under `weft:delegation:<id>`, with a TTL
 * (a short one while the request waits, the proxy's lifetime once completed). Private keys and
 * chains are in it only sealed (secret.ts); the owner, times and public key are in clear.
 */
import type { RedisClient } from '../common/redis.ts';
import { delegationError } from './errors.ts';
import { seal, unseal } from './secret.ts';

export const DELEGATION_KEY_PREFIX = 'weft:delegation:';
/** How long a request waits for its putDelegation. */
export const REQUEST_TTL_SECONDS = 600;

export interface PendingRequest {
  /** Sealed PKCS#8 PEM. */
  readonly key: string;
  readonly spki: string;
  readonly csrPem: string;
  readonly expiresAt: string;
}

export interface CompletedDelegation {
  /** Sealed PKCS#8 PEM of the proxy's key. */
  readonly key: string;
  /** Sealed JSON array of PEMs, proxy first. */
  readonly chain: string;
  readonly subject: string;
  readonly notAfter: string;
  readonly limited: boolean;
}

export interface DelegationRecord {
  readonly id: string;
  readonly owner: string;
  readonly pending?: PendingRequest;
  readonly current?: CompletedDelegation;
  /**
   * The credential repository user name the grid services may renew this delegation's proxy from
   * (a credential stored with `weft myproxy-init -R`), as putDelegation's `renewFrom` set it.
   */
  readonly renewFrom?: string;
}

export interface DelegationStore {
  get(id: string): Promise<DelegationRecord | undefined>;
  /** Writes the record to live until `expiresAt`. */
  put(record: DelegationRecord, expiresAt: Date): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export function createRedisDelegationStore(redis: RedisClient, now: () => Date = () => new Date()): DelegationStore {
  return {
    async get(id) {
      const raw = await redis.get(DELEGATION_KEY_PREFIX + id);
      return raw ? (JSON.parse(raw) as DelegationRecord) : undefined;
    },
    async put(record, expiresAt) {
      const ms = Math.max(1000, expiresAt.getTime() - now().getTime());
      await redis.set(DELEGATION_KEY_PREFIX + record.id, JSON.stringify(record), 'PX', ms);
    },
    async delete(id) {
      return (await redis.del(DELEGATION_KEY_PREFIX + id)) > 0;
    },
  };
}

/** A delegated credential as a job gets it. */
export interface DelegatedCredential {
  readonly certPem: string;
  readonly keyPem: string;
  readonly chainPems: readonly string[];
  readonly notAfter: Date;
}

export function sealKey(secret: Buffer, id: string, keyPem: string): string {
  return seal(secret, keyPem, `key:${id}`);
}

export function sealChain(secret: Buffer, id: string, chainPems: readonly string[]): string {
  return seal(secret, JSON.stringify(chainPems), `chain:${id}`);
}

/**
 * Replaces the proxy of a completed delegation with a renewed one for the same key (the renewal
 * loop, services/broker/credential-lifetime): the chain and its end change, the key does not.
 */
export async function replaceDelegatedChain(
  store: DelegationStore,
  secret: Buffer,
  record: DelegationRecord,
  chainPems: readonly string[],
  subject: string,
  notAfter: Date,
): Promise<void> {
  if (!record.current) throw new Error(`replaceDelegatedChain: the delegation ${record.id} is not completed`);
  const current = { ...record.current, chain: sealChain(secret, record.id, chainPems), subject, notAfter: notAfter.toISOString() };
  const pendingUntil = record.pending ? new Date(record.pending.expiresAt).getTime() : 0;
  await store.put({ ...record, current }, new Date(Math.max(notAfter.getTime(), pendingUntil)));
}

/** The completed credential of delegation `id` (site agents call this with the shared secret). */
export async function readDelegatedCredential(
  store: DelegationStore,
  secret: Buffer,
  id: string,
  now: Date = new Date(),
): Promise<DelegatedCredential> {
  const record = await store.get(id);
  if (!record) throw delegationError('DELEGATION_NOT_FOUND', `there is no delegation ${id} (destroyed or expired)`, { id });
  const current = record.current;
  if (!current) throw delegationError('DELEGATION_NOT_READY', `the delegation ${id} was requested but never completed`, { id });
  const notAfter = new Date(current.notAfter);
  if (notAfter <= now) throw delegationError('DELEGATION_NOT_FOUND', `the delegated proxy of ${id} expired at ${current.notAfter}`, { id });
  const [certPem, ...chainPems] = JSON.parse(unseal(secret, current.chain, `chain:${id}`)) as string[];
  if (!certPem) throw delegationError('DELEGATION_UNAVAILABLE', `the delegation ${id} holds no certificate`, { id });
  return { certPem, keyPem: unseal(secret, current.key, `key:${id}`), chainPems, notAfter };
}
