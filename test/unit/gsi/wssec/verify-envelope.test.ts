/**
 * The verifier on its own: who a signature names (through proxies, limited or not), and the
 * forgeries a container must never mistake for a signed request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGridError } from '../../../../services/common/errors.ts';
import {
  createMemoryReplayCache,
  createProxy,
  signEnvelope,
  verifyEnvelope,
  type ReplayCache,
} from '../../../../services/gsi/index.ts';
import { createJobEnvelope } from '../../../support/raw-soap.ts';
import { makeTempDir } from '../support/fixtures.ts';
import { keyOf, makeProxyWorld, USER_DN } from '../support/proxy-fixtures.ts';

const MESSAGE = createJobEnvelope('&(executable=/bin/echo)(arguments=hi)');

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isGridError(error), String(error));
    return `${error.code}: ${error.message}`;
  }
  assert.fail('the message was accepted');
}

describe('verifyEnvelope', async () => {
  const world = await makeProxyWorld(makeTempDir('wssec'));
  const replay = (): ReplayCache => createMemoryReplayCache();
  const signed = (now?: Date) =>
    signEnvelope(MESSAGE, { chainPems: [world.user.certPem], privateKey: world.user.keyPem, ...(now ? { now } : {}) });

  it('names the signer of a message signed with a certificate (X509v3 token)', async () => {
    const xml = signed();
    assert.match(xml, /#X509v3"/);
    const caller = await verifyEnvelope(xml, { trust: world.trust, replay: replay() });
    assert.equal(caller.identity, USER_DN);
    assert.equal(caller.limited, false);
  });

  it('names the person behind a proxy chain (X509PKIPathv1 token), and says when it is limited', async () => {
    for (const policy of ['inheritAll', 'limited'] as const) {
      const proxy = await createProxy({ issuerCertPem: world.user.certPem, issuerKey: keyOf(world.user), policy, bits: 1024 });
      const xml = signEnvelope(MESSAGE, { chainPems: [proxy.certPem, ...proxy.chainPems], privateKey: proxy.keyPem });
      assert.match(xml, /#X509PKIPathv1"/);
      const caller = await verifyEnvelope(xml, { trust: world.trust, replay: replay() });
      assert.equal(caller.identity, USER_DN);
      assert.equal(caller.proxyDepth, 1);
      assert.equal(caller.limited, policy === 'limited');
    }
  });

  it('refuses a Timestamp created in the future beyond the clock skew', async () => {
    const xml = signed(new Date(Date.now() + 20 * 60_000));
    assert.match(await refusal(verifyEnvelope(xml, { trust: world.trust, replay: replay() })), /^GSI_WSSEC_STALE: .*future/);
  });

  it('accepts a Timestamp within the skew, and remembers it only for its window', async () => {
    let clock = Date.now();
    const cache = createMemoryReplayCache(() => clock);
    const xml = signed(new Date(clock + 60_000));
    await verifyEnvelope(xml, { trust: world.trust, replay: cache, now: new Date(clock) });
    assert.match(await refusal(verifyEnvelope(xml, { trust: world.trust, replay: cache, now: new Date(clock) })), /^GSI_WSSEC_REPLAY/);
    clock += 30 * 60_000;
    assert.match(await refusal(verifyEnvelope(xml, { trust: world.trust, replay: cache, now: new Date(clock) })), /^GSI_WSSEC_STALE/);
  });

  it('refuses two elements sharing one Id (the signed Body copied elsewhere)', async () => {
    const xml = signed();
    const body = /<soap:Body[\s\S]*<\/soap:Body>/.exec(xml)![0];
    const copied = xml.replace('</soap:Header>', `<x:Copy xmlns:x="urn:x">${body}</x:Copy></soap:Header>`);
    assert.match(await refusal(verifyEnvelope(copied, { trust: world.trust, replay: replay() })), /^GSI_WSSEC_UNSIGNED_BODY: two elements share/);
  });

  it("refuses a token swapped for someone else's certificate", async () => {
    const other = await makeProxyWorld(makeTempDir('wssec-other'));
    const xml = signed();
    const mine = /(<wsse:BinarySecurityToken[^>]*>)([^<]+)</.exec(xml)![2]!;
    const theirs = other.user.certPem.replace(/-----[^-]+-----|\s/g, '');
    const swapped = xml.replace(mine, theirs);
    assert.match(await refusal(verifyEnvelope(swapped, { trust: world.trust, replay: replay() })), /^GSI_WSSEC_BAD_SIGNATURE/);
  });

  it('refuses SHA-1 signatures and a message without a Security header', async () => {
    const sha1 = signed().replace(
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    );
    const sha1Refusal = await refusal(verifyEnvelope(sha1, { trust: world.trust, replay: replay() }));
    assert.match(sha1Refusal, /^GSI_WSSEC_BAD_SIGNATURE: .*rsa-sha1/);
    assert.match(await refusal(verifyEnvelope(MESSAGE, { trust: world.trust, replay: replay() })), /^GSI_WSSEC_MISSING: .*no wsse:Security/);
  });
});
