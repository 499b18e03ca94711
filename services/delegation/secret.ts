/**
 * The delegation secret and what it protects: private keys and delegated chains are stored in
 * Redis only as AES-256-GCM ciphertext under a key derived from `WEFT_DELEGATION_SECRET` (or,
 * when that is unset, from a random secret kept in `$WEFT_HOME/delegation-secret`, made with
 * mode 0600 on first use). Site agents decrypt with the same secret: every container and site
 * agent of a grid must share it (a known simplification, see README.md).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { delegationError } from './errors.ts';

export const DELEGATION_SECRET_ENV = 'WEFT_DELEGATION_SECRET';
export const DELEGATION_SECRET_FILE = 'delegation-secret';

/** The 32-byte AES key for `secret` (any non-empty text). */
export function delegationKey(secret: string): Buffer {
  if (!secret) throw delegationError('DELEGATION_UNAVAILABLE', 'the delegation secret is empty');
  return createHash('sha256').update('weft-delegation-v1\0').update(secret).digest();
}

/** The secret from the environment, else from (or newly into) `$WEFT_HOME/delegation-secret`. */
export function loadDelegationSecret(env: Readonly<Record<string, string | undefined>>, home: string): Buffer {
  const fromEnv = env[DELEGATION_SECRET_ENV];
  if (fromEnv) return delegationKey(fromEnv);
  const file = join(home, DELEGATION_SECRET_FILE);
  try {
    return delegationKey(readFileSync(file, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process won
  }
  return delegationKey(readFileSync(file, 'utf8').trim());
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64 each; `context` is bound as additional data. */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64'))).join('.');
}

export function unseal(key: Buffer, sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) {
    throw delegationError('DELEGATION_UNAVAILABLE', 'a stored delegation is not in the expected sealed form');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw delegationError('DELEGATION_UNAVAILABLE', 'a stored delegation could not be decrypted (is WEFT_DELEGATION_SECRET the same everywhere?)');
  }
}
