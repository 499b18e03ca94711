/**
 * CredentialRepositoryService.put: stores a proxy the caller made for the repository, sealed
 * under a pass phrase, owned by the caller. Its identity must be the caller's; its lifetime as
 * stored is min(requested, server maximum, the proxy's own). With `renewer` (myproxy-init -R) it is
 * sealed with the services' secret instead, for that renewer alone (renewal.ts); no pass phrase.
 * A name already in use is replaced only by its owner (MYPROXY_NOT_OWNER for anyone else).
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { CallContext } from '../../common/call-context.ts';
import { describeProxy, globusDnEquals } from '../../gsi/index.ts';
import { myproxyError } from '../errors.ts';
import { checkHours, checkPassphrase, checkUsername, type RepositoryDeps } from '../repository-deps.ts';
import { checkRenewerDn, sealForRenewal } from '../renewal.ts';
import { capLifetimeSeconds, seal } from '../vault.ts';
import { pemList, type RepositoryInfo } from './repository-info.ts';

export interface PutRequest {
  username?: unknown;
  passphrase?: unknown;
  certPem?: unknown;
  keyPem?: unknown;
  chainPem?: unknown;
  maxLifetimeHours?: unknown;
  renewer?: unknown;
}

export function put(deps: RepositoryDeps) {
  return async (request: PutRequest, context: CallContext): Promise<{ info: RepositoryInfo }> => {
    const username = checkUsername(request.username);
    const renewer = request.renewer === undefined || request.renewer === '' ? undefined : checkRenewerDn(request.renewer);
    if (renewer && !deps.renewalSecret) throw myproxyError('MYPROXY_BAD_REQUEST', 'this repository does not hold renewable credentials (it has no services secret)');
    const passphrase = renewer ? '' : checkPassphrase(request.passphrase);
    const requested = checkHours(request.maxLifetimeHours, 'maxLifetimeHours');
    const certPem = typeof request.certPem === 'string' ? request.certPem : '';
    const keyPem = typeof request.keyPem === 'string' ? request.keyPem : '';
    const chainPems = pemList(request.chainPem);
    let certs: X509Certificate[];
    try {
      certs = [certPem, ...chainPems].map((pem) => new X509Certificate(pem));
      const spki = (pem: string) => createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
      if (!spki(keyPem).equals(certs[0]!.publicKey.export({ type: 'spki', format: 'der' }))) throw new Error('key mismatch');
    } catch {
      throw myproxyError('MYPROXY_BAD_CREDENTIAL', 'the credential sent does not parse, or its key is not the key of its certificate');
    }
    const now = deps.now?.() ?? new Date();
    const description = describeProxy(certs, now);
    if (!globusDnEquals(description.identity, context.identity)) {
      throw myproxyError('MYPROXY_BAD_CREDENTIAL', `the credential is ${description.identity}'s, and you are ${context.identity}`);
    }
    if (description.timeLeftSeconds < 60) throw myproxyError('MYPROXY_EXPIRED', 'the credential sent has expired or expires within a minute');
    const notYours = () => myproxyError('MYPROXY_NOT_OWNER', `the user name ${username} holds another identity's credential; choose another user name`, { username });
    const existing = await deps.store.get(username);
    if (existing && !globusDnEquals(existing.owner, context.identity)) throw notYours();
    const maxLifetimeHours = capLifetimeSeconds(requested, deps.knobs.maxRetrievedHours) / 3600;
    const limitMs = now.getTime() + deps.knobs.maxLifetimeHours * 3600 * 1000;
    const notAfter = new Date(Math.min(limitMs, description.notAfter.getTime()));
    const sealed =
      renewer && deps.renewalSecret
        ? sealForRenewal(deps.renewalSecret, { certPem, keyPem, chainPems }, username)
        : await seal({ certPem, keyPem, chainPems }, passphrase, username);
    const described = { owner: description.identity, notAfter: notAfter.toISOString(), maxLifetimeHours, ...(renewer ? { renewer } : {}) };
    // Checked again as it is written: someone else may have taken the name meanwhile.
    if (!(await deps.store.put(username, { ...sealed, ...described }, existing?.owner))) throw notYours();
    const info: RepositoryInfo = { username, ...described };
    context.logger.info({ username, notAfter: info.notAfter, renewer }, 'credential stored');
    return { info };
  };
}
