/**
 * The sealed form of a stored credential: AES-256-GCM under a key derived by scrypt from the
 * pass phrase and a random salt. The pass phrase is never stored; the GCM tag alone proves it
 * (a wrong pass phrase gives a wrong key, and the tag does not verify).
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

/** scrypt cost: N=2^15, r=8, p=1 (about 32 MiB and ~100 ms per derivation). */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export interface StoredCredential {
  readonly certPem: string;
  readonly keyPem: string;
  readonly chainPems: readonly string[];
}

/** What Redis holds: base64 fields, nothing readable without the pass phrase. */
export interface SealedCredential {
  readonly salt: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function seal(credential: StoredCredential, passphrase: string, aad: string): Promise<SealedCredential> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(credential), 'utf8'), cipher.final()]);
  return { salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The credential, or undefined when the pass phrase (or the bound user name) is wrong. */
export async function unseal(sealed: SealedCredential, passphrase: string, aad: string): Promise<StoredCredential | undefined> {
  const decipher = createDecipheriv('aes-256-gcm', await deriveKey(passphrase, Buffer.from(sealed.salt, 'base64')), Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    const text = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as StoredCredential;
  } catch {
    return undefined;
  }
}

/**
 * The work of an unseal that cannot succeed (a name with nothing stored, or a credential stored for
 * renewal): such a try takes as long as a wrong pass phrase, so its timing does not tell them apart.
 */
export async function unsealNothing(passphrase: string): Promise<undefined> {
  await deriveKey(passphrase, randomBytes(16));
  return undefined;
}

/** Seconds a credential may live: what the client asked, never beyond the server's maximum. */
export function capLifetimeSeconds(requestedHours: number, maxHours: number): number {
  return Math.min(requestedHours, maxHours) * 3600;
}

/** Seconds a retrieved proxy lives: ≤ requested, ≤ the server's cap, ≤ what the stored one has left. */
export function retrievedLifetimeSeconds(requestedHours: number, maxHours: number, remainingSeconds: number): number {
  return Math.max(0, Math.min(requestedHours * 3600, maxHours * 3600, Math.floor(remainingSeconds)));
}

/** Lock-out after failures: none for the first 3, then 2^n seconds after the n-th failure. */
export function lockSecondsAfter(failures: number): number {
  return failures >= 3 ? 2 ** failures : 0;
}
