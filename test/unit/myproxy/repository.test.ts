import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CallContext } from '../../../services/common/call-context.ts';
import { isGridError } from '../../../services/common/errors.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { createProxy, ensureDevPki } from '../../../services/gsi/index.ts';
import {
  capLifetimeSeconds,
  createRepositoryServices,
  lockSecondsAfter,
  retrievedLifetimeSeconds,
  seal,
  unseal,
} from '../../../services/myproxy/index.ts';
import { memoryStore } from './support/memory-store.ts';

// Not a key, only its markers (no key is ever committed).
const marker = (edge: string) => `-----${edge} ${'PRIVATE'} KEY-----`;
const credential = { certPem: 'CERT', keyPem: `${marker('BEGIN')}\nsecret\n${marker('END')}\n`, chainPems: ['CHAIN'] };

describe('myproxy vault', () => {
  it('seals and unseals with the pass phrase; the sealed form holds no key in clear', async () => {
    const sealed = await seal(credential, 'correct horse', 'alice');
    assert.ok(!JSON.stringify(sealed).includes('PRIVATE KEY'));
    assert.deepEqual(await unseal(sealed, 'correct horse', 'alice'), credential);
  });

  it('a wrong pass phrase, or another user name, opens nothing', async () => {
    const sealed = await seal(credential, 'correct horse', 'alice');
    assert.equal(await unseal(sealed, 'wrong horse', 'alice'), undefined);
    assert.equal(await unseal(sealed, 'correct horse', 'bob'), undefined);
  });

  it('caps lifetimes: server maximum, request, and what is left', () => {
    assert.equal(capLifetimeSeconds(500, 168), 168 * 3600);
    assert.equal(capLifetimeSeconds(12, 168), 12 * 3600);
    assert.equal(retrievedLifetimeSeconds(24, 12, 100 * 3600), 12 * 3600);
    assert.equal(retrievedLifetimeSeconds(2, 12, 100 * 3600), 2 * 3600);
    assert.equal(retrievedLifetimeSeconds(12, 12, 1800.7), 1800);
  });

  it('locks out after 3 failures, 2^n seconds', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(lockSecondsAfter), [0, 0, 8, 16, 32]);
  });
});

describe('CredentialRepositoryService operations', () => {
  let certsDir: string;
  let userCert: string;
  let userKey: string;
  before(async () => {
    certsDir = mkdtempSync(join(tmpdir(), 'weft-myproxy-'));
    await ensureDevPki(certsDir);
    userCert = readFileSync(join(certsDir, 'user', 'usercert.pem'), 'utf8');
    userKey = readFileSync(join(certsDir, 'user', 'userkey.pem'), 'utf8');
  });
  after(() => rmSync(certsDir, { recursive: true, force: true }));

  const context = (identity: string): CallContext => ({ identity, logger: silentLogger(), requestId: 'r', baseUrl: 'https://localhost:8443' });

  it('put caps the stored lifetime; get signs a proxy of the proxy for the caller key, no longer than allowed; wrong pass phrases lock out', async () => {
    const store = memoryStore();
    const [service] = createRepositoryServices({ store, knobs: { maxLifetimeHours: 24, maxRetrievedHours: 6 } });
    const ops = service!.operations;
    const proxy = await createProxy({ issuerCertPem: userCert, issuerKey: createPrivateKey(userKey), lifetimeSeconds: 72 * 3600 });
    const identity = new X509Certificate(userCert).subject.split('\n').map((part) => `/${part}`).join('');
    const put = await ops.put!(
      { username: 'alice', passphrase: 'correct horse', certPem: proxy.certPem, keyPem: proxy.keyPem, chainPem: proxy.chainPems, maxLifetimeHours: 48 },
      context(identity),
    );
    const hours = (Date.parse(put.info.notAfter) - Date.now()) / 3600_000;
    assert.ok(hours > 23.9 && hours <= 24, `stored for ${hours} h`);
    assert.equal(put.info.maxLifetimeHours, 6);
    assert.ok(!JSON.stringify(store.entries.get('alice')).includes('PRIVATE KEY'));

    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const got = await ops.get!({ username: 'alice', passphrase: 'correct horse', publicKeyPem, lifetimeHours: 12 }, context('/O=Grid/CN=host/elsewhere'));
    const cert = new X509Certificate(got.certPem);
    assert.ok(cert.publicKey.equals(createPublicKey(publicKeyPem)));
    assert.ok(cert.checkIssued(new X509Certificate(proxy.certPem)));
    const lifetime = (Date.parse(cert.validTo) - Date.now()) / 3600_000;
    assert.ok(lifetime <= 6 && lifetime > 5.9, `retrieved for ${lifetime} h`);

    const wrong = () => ops.get!({ username: 'alice', passphrase: 'wrong horse', publicKeyPem, lifetimeHours: 1 }, context(identity));
    for (let i = 0; i < 3; i += 1) await assert.rejects(wrong(), (error) => isGridError(error, 'MYPROXY_BAD_PASSPHRASE'));
    await assert.rejects(
      ops.get!({ username: 'alice', passphrase: 'correct horse', publicKeyPem, lifetimeHours: 1 }, context(identity)),
      (error) => isGridError(error, 'MYPROXY_TOO_MANY_TRIES') && /retry after 8 seconds/.test(error.message),
    );
    await assert.rejects(ops.info!({ username: 'alice' }, context('/O=Grid/CN=Someone Else')), (error) => isGridError(error, 'MYPROXY_NOT_OWNER'));
    assert.equal((await ops.info!({ username: 'alice' }, context(identity))).info.owner, put.info.owner);
  });

  it('put refuses a credential that is not the caller\'s', async () => {
    const [service] = createRepositoryServices({ store: memoryStore(), knobs: { maxLifetimeHours: 24, maxRetrievedHours: 6 } });
    const proxy = await createProxy({ issuerCertPem: userCert, issuerKey: createPrivateKey(userKey), lifetimeSeconds: 3600 });
    await assert.rejects(
      service!.operations.put!({ username: 'bob', passphrase: 'correct horse', certPem: proxy.certPem, keyPem: proxy.keyPem, chainPem: proxy.chainPems, maxLifetimeHours: 1 }, context('/O=Grid/CN=Mallory')),
      (error) => isGridError(error, 'MYPROXY_BAD_CREDENTIAL'),
    );
  });
});
