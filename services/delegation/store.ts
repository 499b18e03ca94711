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
  /**
   * Compare-and-set of the completed proxy (renewal): replaces `current` with `next` only while the
   * delegation still holds exactly the `current` that was read (same sealed key, chain and end), and
   * keeps everything else as it is now (a request the owner made meanwhile, renewFrom); lives at
   * least until `expiresAt`. False, and nothing written, when the owner changed or destroyed it.
   */
  replaceCurrent(id: string, expected: CompletedDelegation, next: CompletedDelegation, expiresAt: Date): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

/*
 * KEYS[1] the delegation; ARGV[1] the sealed key read, ARGV[2] the sealed chain read, ARGV[3] the
 * end read, ARGV[4] the new `current` (JSON), ARGV[5] the milliseconds it must live at least.
 */
const REPLACE_CURRENT_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
local current = record.current
if type(current) ~= 'table' or current.key ~= ARGV[1] or current.chain ~= ARGV[2] or current.notAfter ~= ARGV[3] then return 0 end
record.current = cjson.decode(ARGV[4])
local ttl = math.max(tonumber(ARGV[5]), redis.call('PTTL', KEYS[1]))
redis.call('SET', KEYS[1], cjson.encode(record), 'PX', ttl)
return 1
`;

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
    async replaceCurrent(id, expected, next, expiresAt) {
      const ms = Math.max(1000, expiresAt.getTime() - now().getTime());
      const args = [expected.key, expected.chain, expected.notAfter, JSON.stringify(next), String(ms)];
      return (await redis.eval(REPLACE_CURRENT_SCRIPT, 1, DELEGATION_KEY_PREFIX + id, ...args)) === 1;
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
 * A compare-and-set against `record` as it was read: false, and nothing written, when the owner
 * destroyed the delegation or put another proxy or key meanwhile (the owner's change wins).
 */
export async function replaceDelegatedChain(
  store: DelegationStore,
  secret: Buffer,
  record: DelegationRecord,
  chainPems: readonly string[],
  subject: string,
  notAfter: Date,
): Promise<boolean> {
  if (!record.current) throw new Error(`replaceDelegatedChain: the delegation ${record.id} is not completed`);
  const current = { ...record.current, chain: sealChain(secret, record.id, chainPems), subject, notAfter: notAfter.toISOString() };
  return store.replaceCurrent(record.id, record.current, current, notAfter);
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
  return openDelegatedCredential(record, secret, now);
}

/** The completed credential of a delegation already read (one read, for a compare-and-set after). */
export function openDelegatedCredential(record: DelegationRecord, secret: Buffer, now: Date = new Date()): DelegatedCredential {
  const { id, current } = record;
  if (!current) throw delegationError('DELEGATION_NOT_READY', `the delegation ${id} was requested but never completed`, { id });
  const notAfter = new Date(current.notAfter);
  if (notAfter <= now) throw delegationError('DELEGATION_NOT_FOUND', `the delegated proxy of ${id} expired at ${current.notAfter}`, { id });
  const [certPem, ...chainPems] = JSON.parse(unseal(secret, current.chain, `chain:${id}`)) as string[];
  if (!certPem) throw delegationError('DELEGATION_UNAVAILABLE', `the delegation ${id} holds no certificate`, { id });
  return { certPem, keyPem: unseal(secret, current.key, `key:${id}`), chainPems, notAfter };
}
