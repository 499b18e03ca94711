import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { mintCertificate } from '../../../../services/gsi/pki/mint-certificate.ts';
import { generateRsaKeyPair } from '../../../../services/gsi/pki/mint-certificate.ts';
import { globusDnToForgeAttributes } from '../../../../services/gsi/dn.ts';
import { createProxy, type ProxyCredential } from '../../../../services/gsi/proxy/create-proxy.ts';
import { readProxyFile } from '../../../../services/gsi/proxy/proxy-file.ts';
import { validateChain } from '../../../../services/gsi/trust/validate-chain.ts';
import { makeTempDir, tamperSignature } from '../support/fixtures.ts';
import {
  gct,
  handMadeProxy,
  keyOf,
  makeProxyWorld,
  proxyCertInfoValue,
  USER_DN,
  x509,
  type ProxyWorld,
} from '../support/proxy-fixtures.ts';

const DAY = 86_400_000;
const chainOf = (proxy: { certPem: string; chainPems?: readonly string[] }, ...more: string[]) =>
  [proxy.certPem, ...(proxy.chainPems ?? []), ...more].map(x509);

describe('validateChain with proxies', () => {
  const dir = makeTempDir('proxy-chain');
  let world: ProxyWorld;
  let proxy: ProxyCredential;

  before(async () => {
    world = await makeProxyWorld(dir);
    proxy = await createProxy({ issuerCertPem: world.user.certPem, issuerKey: keyOf(world.user) });
  });

  const fromUser = (options: Partial<Parameters<typeof createProxy>[0]> = {}) =>
    createProxy({ issuerCertPem: world.user.certPem, issuerKey: keyOf(world.user), ...options });
  const fromProxy = (parent: ProxyCredential, options: Partial<Parameters<typeof createProxy>[0]> = {}) =>
    createProxy({
      issuerCertPem: parent.certPem,
      issuerKey: keyOf(parent),
      issuerChainPems: parent.chainPems,
      ...options,
    });

  it('authenticates a proxy as the end entity behind it, with or without the CA sent', () => {
    const result = validateChain(chainOf(proxy), world.trust);
    assert.equal(result.identity, USER_DN);
    assert.equal(result.endEntity, USER_DN);
    assert.equal(result.limited, false);
    assert.equal(result.proxyDepth, 1);
    assert.equal(result.chainSubjects.length, 3);
    assert.equal(validateChain(chainOf(proxy, world.ca.certPem), world.trust).identity, USER_DN);
  });

  it('marks a chain limited when any proxy in it is, and gives an independent proxy its own name', async () => {
    const limited = await fromUser({ policy: 'limited' });
    const below = await fromProxy(limited);
    assert.equal(validateChain(chainOf(below), world.trust).limited, true);
    const independent = await fromUser({ policy: 'independent' });
    const result = validateChain(chainOf(independent), world.trust);
    assert.equal(result.identity, independent.subject, 'an independent proxy has none of the user\'s rights');
    assert.equal(result.endEntity, USER_DN);
  });

  it("accepts what GCT's grid-proxy-init makes: RFC 3820, limited, and legacy Globus proxies", async () => {
    const env = {
      X509_CERT_DIR: world.trustDir,
      X509_USER_CERT: world.userCertFile,
      X509_USER_KEY: world.userKeyFile,
      HOME: dir,
    };
    const cases: Array<[string[], boolean]> = [
      [['-rfc'], false],
      [['-rfc', '-limited'], true],
      [['-old'], false],
      [['-old', '-limited'], true],
    ];
    await Promise.all(
      cases.map(async ([flags, limited], i) => {
        const out = join(dir, `gct-${i}.pem`);
        const made = gct('grid-proxy-init', ['-q', ...flags, '-out', out], env);
        assert.equal(made.status, 0, made.stderr);
        const file = await readProxyFile(out);
        const result = validateChain(file.certs, world.trust);
        assert.equal(result.identity, USER_DN, flags.join(' '));
        assert.equal(result.limited, limited, flags.join(' '));
      }),
    );
  });

  it('refuses an expired proxy and one not valid yet, naming the proxy', async () => {
    const expired = await fromUser({ now: new Date(Date.now() - 2 * DAY), lifetimeSeconds: 3600 });
    assert.throws(() => validateChain(chainOf(expired), world.trust), {
      code: 'GSI_EXPIRED',
      message: new RegExp(`"${expired.subject}" expired at`),
    });
    const early = await fromUser({ now: new Date(Date.now() + DAY) });
    assert.throws(() => validateChain(chainOf(early), world.trust), {
      code: 'GSI_NOT_YET_VALID',
      message: new RegExp(`"${early.subject}" is not valid until`),
    });
  });

  it("refuses a proxy whose subject is not its issuer's plus one CN", async () => {
    const elsewhere = await handMadeProxy({
      issuerCertPem: world.user.certPem,
      signingKey: keyOf(world.user),
      subjectDn: '/O=Grid/OU=Weft/CN=Somebody Else/CN=4242',
    });
    assert.throws(() => validateChain(chainOf(elsewhere, world.user.certPem), world.trust), {
      code: 'GSI_PROXY_SUBJECT',
      message: /"\/O=Grid\/OU=Weft\/CN=Somebody Else\/CN=4242" is not its issuer's subject "\/O=Grid\/OU=Weft\/CN=Proxy User" plus one CN/,
    });
    const twoDeep = await handMadeProxy({
      issuerCertPem: world.user.certPem,
      signingKey: keyOf(world.user),
      subjectDn: `${USER_DN}/CN=1/CN=2`,
    });
    assert.throws(() => validateChain(chainOf(twoDeep, world.user.certPem), world.trust), {
      code: 'GSI_PROXY_SUBJECT',
    });
  });

  it("refuses a proxy signed by a key other than its issuer's", async () => {
    const { privateKey: stranger } = await generateRsaKeyPair(2048);
    const forged = await handMadeProxy({ issuerCertPem: world.user.certPem, signingKey: stranger });
    assert.throws(() => validateChain(chainOf(forged, world.user.certPem), world.trust), {
      code: 'GSI_PROXY_BAD_SIGNER',
      message: /was not signed with the key of "\/O=Grid\/OU=Weft\/CN=Proxy User"/,
    });
  });

  it('refuses a tampered proxy: contents altered after signing, or a damaged signature', () => {
    const cert = x509(proxy.certPem);
    const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
    const altered = Buffer.from(cert.raw);
    const at = altered.indexOf(spki) + spki.length - 20; // inside the modulus
    altered[at] = (altered[at] ?? 0) ^ 0x01;
    assert.throws(() => validateChain([new X509Certificate(altered), x509(world.user.certPem)], world.trust), {
      code: 'GSI_BAD_SIGNATURE',
      message: /was altered after "\/O=Grid\/OU=Weft\/CN=Proxy User" signed it/,
    });
    const damaged = new X509Certificate(tamperSignature(cert.raw));
    assert.throws(() => validateChain([damaged, x509(world.user.certPem)], world.trust), {
      code: 'GSI_PROXY_BAD_SIGNER',
    });
  });

  it('honours the proxy path length', async () => {
    const one = await fromUser({ pathLength: 1 });
    const two = await fromProxy(one);
    const three = await fromProxy(two);
    assert.equal(validateChain(chainOf(two), world.trust).proxyDepth, 2);
    assert.throws(() => validateChain(chainOf(three), world.trust), {
      code: 'GSI_PROXY_PATH_LENGTH',
      message: /allows at most 1 further proxy below it, but the chain has 2/,
    });
  });

  it('refuses a proxy whose signer may not sign, or that breaks the shape of a proxy', async () => {
    const { publicKey, privateKey } = await generateRsaKeyPair(2048);
    const encipherOnly = mintCertificate({
      subject: globusDnToForgeAttributes('/O=Grid/OU=Weft/CN=Cipher User'),
      publicKey,
      signer: { certPem: world.ca.certPem, privateKey: keyOf(world.ca) },
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + DAY),
      extensions: [
        { name: 'basicConstraints', critical: true, cA: false },
        { name: 'keyUsage', critical: true, keyEncipherment: true },
      ],
    });
    const fromCipher = await handMadeProxy({ issuerCertPem: encipherOnly, signingKey: privateKey });
    assert.throws(() => validateChain(chainOf(fromCipher, encipherOnly), world.trust), {
      code: 'GSI_PROXY_BAD_SIGNER',
      message: /key usage does not allow digital signatures/,
    });
    const notCritical = await handMadeProxy({
      issuerCertPem: world.user.certPem,
      signingKey: keyOf(world.user),
      proxyCertInfo: { value: proxyCertInfoValue('1.3.6.1.5.5.7.21.1'), critical: false },
    });
    assert.throws(() => validateChain(chainOf(notCritical, world.user.certPem), world.trust), {
      code: 'GSI_PROXY_MALFORMED',
      message: /not marked critical/,
    });
    const restricted = await handMadeProxy({
      issuerCertPem: world.user.certPem,
      signingKey: keyOf(world.user),
      proxyCertInfo: { value: proxyCertInfoValue('1.2.3.4.5'), critical: true },
    });
    assert.throws(() => validateChain(chainOf(restricted, world.user.certPem), world.trust), {
      code: 'GSI_PROXY_POLICY',
      message: /policy language 1\.2\.3\.4\.5/,
    });
    const caProxy = await handMadeProxy({
      issuerCertPem: world.user.certPem,
      signingKey: keyOf(world.user),
      extraExtensions: [{ name: 'basicConstraints', critical: true, cA: true }],
    });
    assert.throws(() => validateChain(chainOf(caProxy, world.user.certPem), world.trust), {
      code: 'GSI_PROXY_MALFORMED',
      message: /claims to be a CA/,
    });
  });

  it('refuses a proxy sent without the certificate that signed it', () => {
    assert.throws(() => validateChain([x509(proxy.certPem)], world.trust), {
      code: 'GSI_BAD_CHAIN_ORDER',
      message: /came without the certificate that signed it \("\/O=Grid\/OU=Weft\/CN=Proxy User"\)/,
    });
  });
});
