/**
 * Renewal from the repository (myproxy-init -R): a renewable credential is sealed with the grid
 * services' secret, never handed out with a pass phrase, and signs a new proxy for the key of a
 * proxy of its owner only when the named renewer asks.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CallContext } from '../../../services/common/call-context.ts';
import { isGridError } from '../../../services/common/errors.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { delegationKey } from '../../../services/delegation/index.ts';
import { createProxy, DEV_USER_DN, ensureDevPki } from '../../../services/gsi/index.ts';
import { createRepositoryServices, renewFromRepository } from '../../../services/myproxy/index.ts';
import { memoryStore } from './support/memory-store.ts';

const RENEWER = '/O=Grid/OU=Weft/CN=host/localhost';
const secret = delegationKey('unit');
const knobs = { maxLifetimeHours: 24, maxRetrievedHours: 6 };
const context = (identity: string): CallContext => ({ identity, logger: silentLogger(), requestId: 'r', baseUrl: 'https://localhost:8443' });

describe('myproxy renewal (-R)', () => {
  let certsDir: string;
  let userCert: string;
  let userKey: string;
  before(async () => {
    certsDir = mkdtempSync(join(tmpdir(), 'weft-renewal-'));
    await ensureDevPki(certsDir);
    userCert = readFileSync(join(certsDir, 'user', 'usercert.pem'), 'utf8');
    userKey = readFileSync(join(certsDir, 'user', 'userkey.pem'), 'utf8');
  });
  after(() => rmSync(certsDir, { recursive: true, force: true }));

  async function stored(renewer: string | undefined, withSecret = true) {
    const store = memoryStore();
    const ops = createRepositoryServices({ store, knobs, ...(withSecret ? { renewalSecret: secret } : {}) })[0]!.operations;
    const proxy = await createProxy({ issuerCertPem: userCert, issuerKey: createPrivateKey(userKey), lifetimeSeconds: 48 * 3600 });
    const request = { username: 'alice', certPem: proxy.certPem, keyPem: proxy.keyPem, chainPem: proxy.chainPems, maxLifetimeHours: 12, ...(renewer ? { renewer } : { passphrase: 'correct horse' }) };
    return { store, ops, proxy, put: () => ops.put!(request, context(DEV_USER_DN)) as Promise<{ info: { renewer?: string; maxLifetimeHours: number } }> };
  }

  it('put -R needs no pass phrase, names the renewer, seals with the services secret; get refuses it (as a wrong pass phrase to others); the owner destroys it without one', async () => {
    const { store, ops, put } = await stored(RENEWER);
    const { info } = await put();
    assert.equal(info.renewer, RENEWER);
    const entry = store.entries.get('alice')!;
    assert.equal(entry.renewer, RENEWER);
    assert.equal(entry.salt, '', 'a renewable credential is not pass-phrase sealed');
    assert.ok(!JSON.stringify(entry).includes('PRIVATE KEY'));
    assert.equal(((await ops.info!({ username: 'alice' }, context(DEV_USER_DN))) as { info: { renewer?: string } }).info.renewer, RENEWER);
    const publicKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    // Anyone else is answered as for a wrong pass phrase (nothing tells them it is renewable); the owner is told.
    await assert.rejects(ops.get!({ username: 'alice', passphrase: 'anything at all', publicKeyPem, lifetimeHours: 1 }, context(RENEWER)), (error) =>
      isGridError(error, 'MYPROXY_BAD_PASSPHRASE'),
    );
    await assert.rejects(ops.get!({ username: 'alice', passphrase: 'anything at all', publicKeyPem, lifetimeHours: 1 }, context(DEV_USER_DN)), (error) =>
      isGridError(error, 'MYPROXY_RENEW_ONLY'),
    );
    assert.deepEqual(await ops.destroy!({ username: 'alice' }, context(DEV_USER_DN)), { removed: true });
  });

  it('refuses a renewer that is not a DN, and -R on a repository without the services secret', async () => {
    await assert.rejects((await stored('host/localhost')).put(), (error) => isGridError(error, 'MYPROXY_BAD_REQUEST'));
    await assert.rejects((await stored(RENEWER, false)).put(), (error) => isGridError(error, 'MYPROXY_BAD_REQUEST') && /secret/.test(error.message));
  });

  it('renews for the named renewer only, for a proxy of the owner, for the same key, within the credential', async () => {
    const { store, proxy, put } = await stored(RENEWER);
    await put();
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = new Date();
    const renewed = await renewFromRepository(store, secret, { username: 'alice', renewer: RENEWER, owner: DEV_USER_DN, publicKey, now });
    const cert = new X509Certificate(renewed.certPem);
    assert.ok(cert.publicKey.equals(publicKey), 'the renewed proxy is for the key it was asked for');
    assert.ok(cert.checkIssued(new X509Certificate(proxy.certPem)), 'the stored proxy issues it');
    assert.equal(renewed.chainPems[0], proxy.certPem);
    const hours = (renewed.notAfter.getTime() - now.getTime()) / 3600_000;
    assert.ok(hours > 5.9 && hours <= 6, `renewed for ${hours} h (the credential's maximum is 6)`);

    const as = (renewer: string, owner = DEV_USER_DN) => renewFromRepository(store, secret, { username: 'alice', renewer, owner, publicKey, now });
    await assert.rejects(as('/O=Grid/OU=Weft/CN=host/elsewhere'), (error) => isGridError(error, 'MYPROXY_NOT_RENEWER'));
    await assert.rejects(as(DEV_USER_DN), (error) => isGridError(error, 'MYPROXY_NOT_RENEWER'));
    await assert.rejects(as(RENEWER, '/O=Grid/OU=Weft/CN=Somebody Else'), (error) => isGridError(error, 'MYPROXY_NOT_RENEWER'));
    await assert.rejects(renewFromRepository(store, delegationKey('another grid'), { username: 'alice', renewer: RENEWER, owner: DEV_USER_DN, publicKey, now }), (error) =>
      isGridError(error, 'DELEGATION_UNAVAILABLE'),
    );
  });

  it('an ordinary (pass phrase) credential is never renewed', async () => {
    const { store, put } = await stored(undefined);
    await put();
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await assert.rejects(renewFromRepository(store, secret, { username: 'alice', renewer: RENEWER, owner: DEV_USER_DN, publicKey, now: new Date() }), (error) =>
      isGridError(error, 'MYPROXY_NOT_RENEWER') && /not stored for renewal/.test(error.message),
    );
  });
});
