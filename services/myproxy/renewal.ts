/**
 * Renewal, MyProxy's `myproxy-init -R <renewer DN>` model: the owner lets one named service (the
 * grid's services, by their host certificate DN) sign new proxies from the stored credential
 * without the pass phrase, to renew a proxy of the owner that is still valid. The server must
 * then be able to open the credential by itself, so a renewable credential is sealed with the
 * grid services' shared secret (services/delegation/secret.ts), not with a pass phrase — the
 * same trade-off MyProxy makes. The renewer proves both halves MyProxy asks for: its own identity
 * (the DN it runs as) and an existing valid proxy of the owner (the one it renews, whose key it
 * holds); the new proxy is for that same key.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { seal as sealWithSecret, unseal as unsealWithSecret } from '../delegation/index.ts';
import { globusDnEquals, signProxy } from '../gsi/index.ts';
import { myproxyError } from './errors.ts';
import type { RepositoryEntry, RepositoryStore } from './repository-store.ts';
import type { SealedCredential, StoredCredential } from './vault.ts';

/** A Globus DN as `-R` takes it: `/A=b/C=d…`, printable, at most 512 characters. */
export function checkRenewerDn(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!/^(\/[A-Za-z][A-Za-z0-9.]*=[^\n\r\0]*)+$/.test(text) || text.length > 512) {
    throw myproxyError('MYPROXY_BAD_REQUEST', 'the renewer must be a Globus DN such as /O=Grid/OU=Weft/CN=host/localhost');
  }
  return text;
}

/** Sealed with the services' secret: `data` holds the whole sealed text, the scrypt fields stay empty. */
export function sealForRenewal(secret: Buffer, credential: StoredCredential, username: string): SealedCredential {
  return { salt: '', iv: '', tag: '', data: sealWithSecret(secret, JSON.stringify(credential), `myproxy:${username}`) };
}

export function openForRenewal(secret: Buffer, entry: SealedCredential, username: string): StoredCredential {
  return JSON.parse(unsealWithSecret(secret, entry.data, `myproxy:${username}`)) as StoredCredential;
}

export interface RenewalRequest {
  readonly username: string;
  /** The DN the renewing service runs as (its host certificate's subject). */
  readonly renewer: string;
  /** The identity (end entity) of the proxy being renewed: must be the credential's owner. */
  readonly owner: string;
  /** The key of the proxy being renewed: the new proxy is issued for it. */
  readonly publicKey: KeyObject;
  /** Issue a limited proxy (the one renewed was limited). */
  readonly limited?: boolean;
  readonly now: Date;
}

export interface RenewedProxy {
  readonly certPem: string;
  /** The stored proxy and its chain, leaf side first. */
  readonly chainPems: readonly string[];
  readonly notAfter: Date;
}

/**
 * A new proxy from the renewable credential stored under `username`, for `publicKey`, living as
 * long as the credential allows (its maximum retrieved lifetime, never past its own end).
 */
export async function renewFromRepository(store: RepositoryStore, secret: Buffer, request: RenewalRequest): Promise<RenewedProxy> {
  const entry: RepositoryEntry | undefined = await store.get(request.username);
  if (!entry) throw myproxyError('MYPROXY_NOT_FOUND', `no credential is stored under the user name ${request.username}`, { username: request.username });
  if (!entry.renewer || !globusDnEquals(entry.renewer, request.renewer)) {
    throw myproxyError(
      'MYPROXY_NOT_RENEWER',
      entry.renewer
        ? `the credential ${request.username} may be renewed by ${entry.renewer} only, not by ${request.renewer}`
        : `the credential ${request.username} was not stored for renewal (weft myproxy-init -R)`,
      { username: request.username },
    );
  }
  if (!globusDnEquals(entry.owner, request.owner)) {
    throw myproxyError('MYPROXY_NOT_RENEWER', `the credential ${request.username} belongs to another identity than the proxy to renew`, { username: request.username });
  }
  const remaining = Math.floor((Date.parse(entry.notAfter) - request.now.getTime()) / 1000);
  const lifetime = Math.min(entry.maxLifetimeHours * 3600, remaining);
  if (lifetime < 60) throw myproxyError('MYPROXY_EXPIRED', `the credential stored for ${request.username} expires within a minute`, { username: request.username });
  const credential = openForRenewal(secret, entry, request.username);
  const signed = signProxy(request.publicKey, {
    issuerCertPem: credential.certPem,
    issuerKey: createPrivateKey(credential.keyPem),
    issuerChainPems: credential.chainPems,
    lifetimeSeconds: lifetime,
    ...(request.limited ? { policy: 'limited' as const } : {}),
    now: request.now,
  });
  return { certPem: signed.certPem, chainPems: signed.chainPems, notAfter: signed.notAfter };
}
