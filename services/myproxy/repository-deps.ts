/** What the repository's operations share: the store, the knobs, the clock and the request checks. */
import type { ConfigOf } from '../common/config.ts';
import { globusDnEquals } from '../gsi/index.ts';
import type { MYPROXY_KNOBS } from './config.ts';
import { myproxyError } from './errors.ts';
import type { RepositoryEntry, RepositoryStore } from './repository-store.ts';
import { lockSecondsAfter, unseal, unsealNothing, type StoredCredential } from './vault.ts';

export interface RepositoryDeps {
  readonly store: RepositoryStore;
  readonly knobs: ConfigOf<typeof MYPROXY_KNOBS>;
  readonly now?: () => Date;
  /**
   * The grid services' shared secret (WEFT_DELEGATION_SECRET), which seals credentials stored
   * for renewal (`renewer`); absent: this repository refuses them.
   */
  readonly renewalSecret?: Buffer;
}

export function checkUsername(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(text)) throw myproxyError('MYPROXY_BAD_REQUEST', 'the user name must be 1-64 letters, digits, . _ @ or -');
  return text;
}

export function checkPassphrase(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  if (text.length < 6 || text.length > 1024) throw myproxyError('MYPROXY_BAD_REQUEST', 'the pass phrase must be 6 to 1024 characters');
  return text;
}

export function checkHours(value: unknown, name: string): number {
  const hours = Number(value);
  if (!Number.isInteger(hours) || hours < 1 || hours > 87_600) throw myproxyError('MYPROXY_BAD_REQUEST', `${name} must be a whole number of hours, 1 or more`);
  return hours;
}

export async function findEntry(deps: RepositoryDeps, username: string): Promise<RepositoryEntry> {
  const entry = await deps.store.get(username);
  if (!entry) throw myproxyError('MYPROXY_NOT_FOUND', `no credential is stored under the user name ${username}`, { username });
  return entry;
}

/**
 * Opens the entry with the pass phrase, minding the lock-out: refused while locked; a wrong pass
 * phrase counts a failure (3 or more lock the user name for 2^n seconds); a right one resets.
 * The entry is read once, after the lock-out check, and a name with nothing stored, a credential
 * stored for renewal (no pass phrase opens it) and a wrong pass phrase are one answer, counted
 * alike and as slow alike: the fault tells a caller only "not with this pass phrase". The owner
 * of a renewable credential (`caller`), who knows it is one, is told so (MYPROXY_RENEW_ONLY).
 */
export async function openEntry(
  deps: RepositoryDeps,
  username: string,
  passphrase: string,
  caller?: string,
): Promise<{ entry: RepositoryEntry; credential: StoredCredential }> {
  const nowMs = (deps.now?.() ?? new Date()).getTime();
  const wait = await deps.store.lockedFor(username, nowMs);
  if (wait > 0) {
    throw myproxyError('MYPROXY_TOO_MANY_TRIES', `too many failed tries for ${username}: retry after ${wait} seconds`, { username, retryAfterSeconds: wait });
  }
  const entry = await deps.store.get(username);
  if (entry?.renewer && caller !== undefined && globusDnEquals(entry.owner, caller)) {
    throw myproxyError('MYPROXY_RENEW_ONLY', `your credential ${username} is stored for renewal only; it is not retrieved with a pass phrase`, { username });
  }
  const credential = entry && !entry.renewer ? await unseal(entry, passphrase, username) : await unsealNothing(passphrase);
  if (!entry || !credential) {
    const failures = await deps.store.failed(username, lockSecondsAfter, nowMs);
    const lock = lockSecondsAfter(failures);
    throw myproxyError(
      'MYPROXY_BAD_PASSPHRASE',
      `no credential stored under ${username} opens with that pass phrase${lock > 0 ? `; retry after ${lock} seconds` : ''}`,
      { username, ...(lock > 0 ? { retryAfterSeconds: lock } : {}) },
    );
  }
  await deps.store.succeeded(username);
  return { entry, credential };
}
