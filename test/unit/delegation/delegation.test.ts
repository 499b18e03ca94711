/**
 * The DelegationService's parts without a container: the PKCS#10 round trip, the sealed storage
 * (AES-256-GCM under the delegation secret), and putDelegation's checks: the proxy must carry
 * the request's key and act for the caller.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CallContext } from '../../../services/common/call-context.ts';
import { isGridError } from '../../../services/common/errors.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import {
  createDelegationServices,
  delegationForJob,
  delegationIdOf,
  delegationKey,
  loadDelegationSecret,
  makeDelegationRequest,
  publicKeyOfRequest,
  readDelegatedCredential,
  seal,
  spkiOf,
  unseal,
  type DelegationRecord,
  type DelegationStore,
} from '../../../services/delegation/index.ts';
import { takeDelegateFlag } from '../../../services/cli/commands/delegate-flag.ts';
import { DEV_USER_DN, ensureDevPki, issueUserCertificate, loadTrustStore, signProxy, type TrustStore } from '../../../services/gsi/index.ts';

function memoryStore(): DelegationStore & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  return {
    raw,
    get: async (id) => (raw.has(id) ? (JSON.parse(raw.get(id)!) as DelegationRecord) : undefined),
    put: async (record) => void raw.set(record.id, JSON.stringify(record)),
    replaceCurrent: async (id, expected, next) => {
      const record = raw.has(id) ? (JSON.parse(raw.get(id)!) as DelegationRecord) : undefined;
      if (JSON.stringify(record?.current) !== JSON.stringify(expected)) return false;
      raw.set(id, JSON.stringify({ ...record, current: next }));
      return true;
    },
    delete: async (id) => raw.delete(id),
  };
}

const context = (identity: string): CallContext => ({ identity, logger: silentLogger(), requestId: 'test', baseUrl: 'https://localhost:8443' });

async function rejectsWith(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (error: unknown) => isGridError(error, code));
}

describe('delegation: certificate requests', () => {
  it('a request carries the key the service keeps, and its public key reads back out', async () => {
    const request = await makeDelegationRequest();
    assert.match(request.csrPem, /^-----BEGIN CERTIFICATE REQUEST-----/);
    assert.equal(spkiOf(publicKeyOfRequest(request.csrPem)), request.spki);
    assert.equal(spkiOf(createPrivateKey(request.keyPem)), request.spki);
    assert.equal(createPrivateKey(request.keyPem).asymmetricKeyDetails?.modulusLength, 2048);
  });

  it('a request that is not PKCS#10 is refused', () => {
    assert.throws(() => publicKeyOfRequest('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'), (error: unknown) =>
      isGridError(error, 'DELEGATION_BAD_CHAIN'),
    );
  });

  it('EPRs and bare ids name the same delegation; anything else is refused', () => {
    const id = '0b0e4a52-5a44-4f5d-9a38-7c1b2d9c8e11';
    assert.equal(delegationIdOf(`https://h:8443/wsrf/services/DelegationService?id=${id}`), id);
    assert.equal(delegationIdOf(id), id);
    assert.throws(() => delegationIdOf(`https://h:8443/wsrf/services/Other?id=${id}`), (error: unknown) => isGridError(error, 'DELEGATION_BAD_ID'));
    assert.throws(() => delegationIdOf('../../etc'), (error: unknown) => isGridError(error, 'DELEGATION_BAD_ID'));
  });
});

describe('delegation: sealed storage', () => {
  const home = mkdtempSync(join(tmpdir(), 'weft-delegation-secret-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it('seals and unseals, and refuses another key or another context', () => {
    const key = delegationKey('one secret');
    const fakeKey = `${['-----BEGIN', 'PRIVATE', 'KEY-----'].join(' ')}\nxyz`; // not a key, only its marker
    const sealed = seal(key, fakeKey, 'key:a');
    assert.doesNotMatch(sealed, /PRIVATE KEY/);
    assert.equal(unseal(key, sealed, 'key:a'), fakeKey);
    assert.throws(() => unseal(delegationKey('another secret'), sealed, 'key:a'), (error: unknown) => isGridError(error, 'DELEGATION_UNAVAILABLE'));
    assert.throws(() => unseal(key, sealed, 'key:b'), (error: unknown) => isGridError(error, 'DELEGATION_UNAVAILABLE'));
  });

  it('the secret comes from WEFT_DELEGATION_SECRET, else from a 0600 file made once in $WEFT_HOME', () => {
    const first = loadDelegationSecret({}, home);
    assert.equal(statSync(join(home, 'delegation-secret')).mode & 0o777, 0o600);
    assert.deepEqual(loadDelegationSecret({}, home), first);
    assert.ok(readFileSync(join(home, 'delegation-secret'), 'utf8').trim().length >= 32);
    assert.deepEqual(loadDelegationSecret({ WEFT_DELEGATION_SECRET: 'x' }, home), delegationKey('x'));
  });
});

describe('delegation: putDelegation checks the chain it is given', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-delegation-pki-'));
  let trust: TrustStore;
  let user: { certPem: string; keyPem: string };
  let other: { certPem: string; keyPem: string };
  after(() => rmSync(dir, { recursive: true, force: true }));
  before(async () => {
    await ensureDevPki(dir);
    trust = await loadTrustStore(join(dir, 'grid-security', 'certificates'));
    user = { certPem: readFileSync(join(dir, 'user', 'usercert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'user', 'userkey.pem'), 'utf8') };
    const ca = { certPem: readFileSync(join(dir, 'ca', 'cacert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'ca', 'cakey.pem'), 'utf8') };
    other = await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Somebody Else', days: 1 });
  });

  it('stores the proxy for the request sealed, refuses the wrong key, identity or owner', async () => {
    const store = memoryStore();
    const secret = delegationKey('unit');
    const ops = createDelegationServices({ store, secret, trust })[0]!.operations;
    const me = context(DEV_USER_DN);
    const requested = (await ops.requestDelegation!({}, me)) as { delegationId: string; certificateRequest: string };
    const sign = (credential: { certPem: string; keyPem: string }, publicKey = publicKeyOfRequest(requested.certificateRequest)) => {
      const proxy = signProxy(publicKey, { issuerCertPem: credential.certPem, issuerKey: createPrivateKey(credential.keyPem), lifetimeSeconds: 3600 });
      return [proxy.certPem, ...proxy.chainPems].join('\n');
    };
    // A proxy for some other key, one of another user, and a plain certificate: all refused.
    const stray = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    await rejectsWith(ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: sign(user, stray) }, me), 'DELEGATION_BAD_CHAIN');
    await rejectsWith(ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: sign(other) }, me), 'DELEGATION_BAD_CHAIN');
    await rejectsWith(ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: user.certPem }, me), 'DELEGATION_BAD_CHAIN');
    // Someone else may not complete, read or destroy it.
    const stranger = context('/O=Grid/OU=Weft/CN=Somebody Else');
    await rejectsWith(ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: sign(other) }, stranger), 'DELEGATION_NOT_OWNER');
    await rejectsWith(ops.destroyDelegation!({ delegationId: requested.delegationId }, stranger), 'DELEGATION_NOT_OWNER');

    const put = (await ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: sign(user) }, me)) as { delegationEpr: string };
    assert.equal(put.delegationEpr, `https://localhost:8443/wsrf/services/DelegationService?id=${requested.delegationId}`);
    const stored = store.raw.get(requested.delegationId)!;
    assert.doesNotMatch(stored, /PRIVATE KEY|BEGIN CERTIFICATE/);
    const credential = await readDelegatedCredential(store, secret, requested.delegationId);
    assert.equal(spkiOf(createPrivateKey(credential.keyPem)), spkiOf(publicKeyOfRequest(requested.certificateRequest)));
    assert.equal(credential.chainPems.length, 1);

    assert.equal(await delegationForJob(store, put.delegationEpr, DEV_USER_DN), requested.delegationId);
    await rejectsWith(delegationForJob(store, put.delegationEpr, '/O=Grid/OU=Weft/CN=Somebody Else'), 'DELEGATION_NOT_OWNER');

    // Refresh: a new key for the same id; the old chain stays until the new one is put.
    const refreshed = (await ops.refreshDelegation!({ delegationId: put.delegationEpr }, me)) as { delegationId: string; certificateRequest: string };
    assert.equal(refreshed.delegationId, requested.delegationId);
    await readDelegatedCredential(store, secret, requested.delegationId);
    Object.assign(requested, refreshed);
    await ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: sign(user) }, me);
    const renewed = await readDelegatedCredential(store, secret, requested.delegationId);
    assert.equal(spkiOf(createPrivateKey(renewed.keyPem)), spkiOf(publicKeyOfRequest(refreshed.certificateRequest)));

    assert.deepEqual(await ops.destroyDelegation!({ delegationId: requested.delegationId }, me), { destroyed: true });
    await rejectsWith(delegationForJob(store, put.delegationEpr, DEV_USER_DN), 'DELEGATION_NOT_FOUND');
  });

  it('putDelegation records renewFrom (a repository credential to renew from), keeps it on a later put, refuses a bad name', async () => {
    const store = memoryStore();
    const ops = createDelegationServices({ store, secret: delegationKey('unit'), trust })[0]!.operations;
    const me = context(DEV_USER_DN);
    const sign = (request: string) => {
      const proxy = signProxy(publicKeyOfRequest(request), { issuerCertPem: user.certPem, issuerKey: createPrivateKey(user.keyPem), lifetimeSeconds: 3600 });
      return [proxy.certPem, ...proxy.chainPems].join('\n');
    };
    const requested = (await ops.requestDelegation!({}, me)) as { delegationId: string; certificateRequest: string };
    await rejectsWith(ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: sign(requested.certificateRequest), renewFrom: 'no spaces allowed' }, me), 'DELEGATION_BAD_ID');
    await ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: sign(requested.certificateRequest), renewFrom: 'alice' }, me);
    assert.equal((await store.get(requested.delegationId))?.renewFrom, 'alice');
    const refreshed = (await ops.refreshDelegation!({ delegationId: requested.delegationId }, me)) as { certificateRequest: string };
    await ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: sign(refreshed.certificateRequest) }, me);
    assert.equal((await store.get(requested.delegationId))?.renewFrom, 'alice');
  });
});

describe('delegation: the -delegate flag of globus-job-run/-submit', () => {
  it('is taken from the options only, never from the program\'s arguments', () => {
    assert.deepEqual(takeDelegateFlag(['h', '-np', '2', '-delegate', '/bin/echo', '-D']), { args: ['h', '-np', '2', '/bin/echo', '-D'], delegate: true });
    assert.deepEqual(takeDelegateFlag(['h', '-D', '-env', 'A=1', '--', '-delegate']), { args: ['h', '-env', 'A=1', '--', '-delegate'], delegate: true });
    assert.deepEqual(takeDelegateFlag(['h', '/bin/true']), { args: ['h', '/bin/true'], delegate: false });
  });
});
