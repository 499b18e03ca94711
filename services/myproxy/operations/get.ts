/**
 * CredentialRepositoryService.get (myproxy-logon): with the right pass phrase, signs a new proxy
 * of the stored proxy for the public key the caller sent (the caller keeps its private key, as
 * MyProxy does). Lifetime ≤ requested ≤ the server's cap ≤ what the stored proxy has left.
 * Any authenticated caller may ask: the pass phrase is the authorization. A credential stored for
 * renewal (-R) has no pass phrase and is never handed out here: to anyone but its owner it answers
 * as a wrong pass phrase does, as a name with nothing stored does (repository-deps.ts openEntry).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { CallContext } from '../../common/call-context.ts';
import { signProxy } from '../../gsi/index.ts';
import { myproxyError } from '../errors.ts';
import { checkHours, checkPassphrase, checkUsername, openEntry, type RepositoryDeps } from '../repository-deps.ts';
import { retrievedLifetimeSeconds } from '../vault.ts';

export interface GetRequest {
  username?: unknown;
  passphrase?: unknown;
  publicKeyPem?: unknown;
  lifetimeHours?: unknown;
}

export interface GetResponse {
  certPem: string;
  chainPem: string[];
  notAfter: string;
}

export function get(deps: RepositoryDeps) {
  return async (request: GetRequest, context: CallContext): Promise<GetResponse> => {
    const username = checkUsername(request.username);
    const passphrase = checkPassphrase(request.passphrase);
    const hours = checkHours(request.lifetimeHours, 'lifetimeHours');
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(String(request.publicKeyPem ?? ''));
      if (publicKey.asymmetricKeyType !== 'rsa' || (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('weak');
    } catch {
      throw myproxyError('MYPROXY_BAD_REQUEST', 'publicKeyPem must be an RSA public key (PEM) of 2048 bits or more');
    }
    const { entry, credential } = await openEntry(deps, username, passphrase, context.identity);
    const now = deps.now?.() ?? new Date();
    const lifetime = retrievedLifetimeSeconds(hours, entry.maxLifetimeHours, (Date.parse(entry.notAfter) - now.getTime()) / 1000);
    if (lifetime < 60) throw myproxyError('MYPROXY_EXPIRED', `the credential stored for ${username} expires within a minute`, { username });
    const signed = signProxy(publicKey, {
      issuerCertPem: credential.certPem,
      issuerKey: createPrivateKey(credential.keyPem),
      issuerChainPems: credential.chainPems,
      lifetimeSeconds: lifetime,
      now,
    });
    context.logger.info({ username, owner: entry.owner, notAfter: signed.notAfter.toISOString() }, 'proxy retrieved');
    return { certPem: signed.certPem, chainPem: [...signed.chainPems], notAfter: signed.notAfter.toISOString() };
  };
}
