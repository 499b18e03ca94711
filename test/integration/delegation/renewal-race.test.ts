/**
 * Renewal racing the owner, over a real Redis: the broker reads a delegation, renews it from the
 * repository, and writes it back only if the owner has not changed it meanwhile. An owner who
 * destroys the delegation, puts a proxy for a new key, or asks for a new key (refresh) while the
 * broker is at it keeps what they did; the broker reports it as not renewed, and the proxy a job
 * would get (key and certificate) still belong together.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUSY, renewDelegation, type RenewalDeps } from '../../../services/broker/credential-lifetime/renew-delegation.ts';
import type { CallContext } from '../../../services/common/call-context.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import {
  createDelegationServices,
  createRedisDelegationStore,
  delegationKey,
  publicKeyOfRequest,
  readDelegatedCredential,
  spkiOf,
  type DelegationStore,
} from '../../../services/delegation/index.ts';
import { createProxy, DEV_USER_DN, ensureDevPki, loadTrustStore, signProxy } from '../../../services/gsi/index.ts';
import { createRedisRepositoryStore, createRepositoryServices, type RepositoryStore } from '../../../services/myproxy/index.ts';
import { startRedis, type TestRedis } from '../../support/redis-server.ts';

const RENEWER = '/O=Grid/OU=Weft/CN=host/localhost';
const secret = delegationKey('renewal race');
const me: CallContext = { identity: DEV_USER_DN, logger: silentLogger(), requestId: 'race', baseUrl: 'https://localhost:8443' };

describe('renewal racing the owner of the delegation', () => {
  let redis: TestRedis;
  let dir: string;
  let delegations: DelegationStore;
  let ops: Record<string, ((request: never, context: CallContext) => Promise<unknown>) | undefined>;
  let user: { certPem: string; keyPem: string };

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'weft-renewal-race-'));
    await ensureDevPki(dir);
    user = { certPem: readFileSync(join(dir, 'user', 'usercert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'user', 'userkey.pem'), 'utf8') };
    const trust = await loadTrustStore(join(dir, 'grid-security', 'certificates'));
    delegations = createRedisDelegationStore(redis.client);
    ops = createDelegationServices({ store: delegations, secret, trust })[0]!.operations as typeof ops;
    // The owner's credential the grid services may renew from (myproxy-init -R).
    const repository = createRepositoryServices({ store: createRedisRepositoryStore(redis.client), knobs: { maxLifetimeHours: 24, maxRetrievedHours: 6 }, renewalSecret: secret });
    const proxy = await createProxy({ issuerCertPem: user.certPem, issuerKey: createPrivateKey(user.keyPem), lifetimeSeconds: 12 * 3600 });
    await repository[0]!.operations.put!({ username: 'renew-me', certPem: proxy.certPem, keyPem: proxy.keyPem, chainPem: proxy.chainPems, maxLifetimeHours: 6, renewer: RENEWER }, me);
  });
  after(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const chainFor = (certificateRequest: string, lifetimeSeconds: number) => {
    const signed = signProxy(publicKeyOfRequest(certificateRequest), { issuerCertPem: user.certPem, issuerKey: createPrivateKey(user.keyPem), lifetimeSeconds });
    return [signed.certPem, ...signed.chainPems].join('\n');
  };

  /** A completed delegation of 10 minutes that names renew-me. */
  async function delegation(): Promise<string> {
    const requested = (await ops.requestDelegation!({} as never, me)) as { delegationId: string; certificateRequest: string };
    await ops.putDelegation!({ delegationId: requested.delegationId, certificateChain: chainFor(requested.certificateRequest, 600), renewFrom: 'renew-me' } as never, me);
    return requested.delegationId;
  }

  /** The broker's renewal, with `owner` run after the broker read the delegation and before it writes. */
  function renewWhile(id: string, owner: () => Promise<void>) {
    const real = createRedisRepositoryStore(redis.client);
    const repository: RepositoryStore = {
      ...real,
      async get(username) {
        await owner();
        return real.get(username);
      },
    };
    const deps: RenewalDeps = { redis: redis.client, delegations, repository, secret, renewerDn: RENEWER };
    return renewDelegation(deps, id, () => true);
  }

  it('renews when nobody interferes (the baseline)', async () => {
    const id = await delegation();
    const outcome = await renewWhile(id, async () => undefined);
    assert.equal(outcome.kind, 'renewed');
    const credential = await readDelegatedCredential(delegations, secret, id);
    assert.ok(credential.notAfter.getTime() - Date.now() > 3600_000, 'the proxy now lasts hours');
    assert.equal(await redis.client.exists(`weft:delegation:renew-lock:${id}`), 0, 'the lock is released');
  });

  it('a delegation the owner destroys meanwhile stays destroyed', async () => {
    const id = await delegation();
    const outcome = await renewWhile(id, async () => void (await ops.destroyDelegation!({ delegationId: id } as never, me)));
    assert.deepEqual(outcome, { kind: 'not renewed', reason: BUSY });
    assert.equal(await delegations.get(id), undefined, 'not re-created by the broker');
  });

  it('a proxy for a new key the owner puts meanwhile stays, with its own key: key and certificate match', async () => {
    const id = await delegation();
    let ownersEnd = '';
    const outcome = await renewWhile(id, async () => {
      const refreshed = (await ops.refreshDelegation!({ delegationId: id } as never, me)) as { certificateRequest: string };
      const put = (await ops.putDelegation!({ delegationId: id, certificateChain: chainFor(refreshed.certificateRequest, 1800) } as never, me)) as { terminationTime: string };
      ownersEnd = put.terminationTime;
    });
    assert.equal(outcome.kind, 'not renewed');
    const credential = await readDelegatedCredential(delegations, secret, id);
    assert.equal(credential.notAfter.getTime(), Date.parse(ownersEnd), 'the owner\'s proxy, not the renewed one');
    assert.equal(spkiOf(new X509Certificate(credential.certPem).publicKey), spkiOf(createPrivateKey(credential.keyPem)), 'x509up would hold a matching key and certificate');
  });

  it('a new key the owner asks for meanwhile (refresh) is kept; the current proxy is renewed', async () => {
    const id = await delegation();
    let request = '';
    const outcome = await renewWhile(id, async () => {
      request = ((await ops.refreshDelegation!({ delegationId: id } as never, me)) as { certificateRequest: string }).certificateRequest;
    });
    assert.equal(outcome.kind, 'renewed');
    const record = await delegations.get(id);
    assert.equal(record?.pending?.csrPem, request, 'the owner\'s pending request survives the renewal');
    // And the owner can complete it.
    await ops.putDelegation!({ delegationId: id, certificateChain: chainFor(request, 1800) } as never, me);
    const credential = await readDelegatedCredential(delegations, secret, id);
    assert.equal(spkiOf(createPrivateKey(credential.keyPem)), spkiOf(publicKeyOfRequest(request)));
  });
});
