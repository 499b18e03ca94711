import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { issueUserCertificate } from '../../../../services/gsi/pki/issue-certificate.ts';
import { createProxy, type ProxyCredential } from '../../../../services/gsi/proxy/create-proxy.ts';
import { formatProxyFile, readProxyFile, writeProxyFile } from '../../../../services/gsi/proxy/proxy-file.ts';
import { validateChain } from '../../../../services/gsi/trust/validate-chain.ts';
import { makeTempDir, openssl } from '../support/fixtures.ts';
import { gct, keyOf, makeProxyWorld, USER_DN, x509, type ProxyWorld } from '../support/proxy-fixtures.ts';

const HOUR = 3_600_000;

describe('createProxy', () => {
  const dir = makeTempDir('proxy');
  let world: ProxyWorld;
  let proxy: ProxyCredential;
  let proxyFile: string;

  before(async () => {
    world = await makeProxyWorld(dir);
    proxy = await createProxy({ issuerCertPem: world.user.certPem, issuerKey: keyOf(world.user) });
    proxyFile = join(dir, 'x509up_test');
    await writeProxyFile(proxyFile, proxy);
  });

  const gctEnv = () => ({ X509_CERT_DIR: world.trustDir, HOME: dir });

  it('makes a proxy `openssl verify -allow_proxy_certs` accepts against the CA', () => {
    const out = openssl([
      'verify',
      '-allow_proxy_certs',
      '-CApath',
      world.trustDir,
      '-untrusted',
      world.userCertFile,
      proxyFile,
    ]);
    assert.equal(out.trim(), `${proxyFile}: OK`);
  });

  it("makes a proxy GCT's grid-proxy-info reads as an RFC 3820 impersonation proxy of the user", () => {
    const info = gct('grid-proxy-info', ['-file', proxyFile], gctEnv());
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`^subject  : ${USER_DN}/CN=\\d+$`, 'm'));
    assert.match(info.stdout, new RegExp(`^issuer   : ${USER_DN}$`, 'm'));
    assert.match(info.stdout, new RegExp(`^identity : ${USER_DN}$`, 'm'));
    assert.match(info.stdout, /^type {5}: RFC 3820 compliant impersonation proxy$/m);
    assert.match(info.stdout, /^strength : 2048 bits$/m);
    assert.match(info.stdout, /^timeleft : 1[12]:\d\d:\d\d$/m, 'twelve hours by default');
    const valid = gct('grid-proxy-info', ['-file', proxyFile, '-exists', '-valid', '11:00'], gctEnv());
    assert.equal(valid.status, 0);
  });

  it('names the proxy after its serial, below its issuer, with the extensions RFC 3820 asks', () => {
    const cert = x509(proxy.certPem);
    assert.equal(proxy.subject, `${USER_DN}/CN=${BigInt(`0x${cert.serialNumber}`).toString(10)}`);
    const text = openssl(['x509', '-noout', '-text', '-in', proxyFile]);
    assert.match(text, /Proxy Certificate Information: critical\s+Path Length Constraint: infinite\s+Policy Language: Inherit all/);
    assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    assert.doesNotMatch(text, /CA:TRUE/);
  });

  it('writes the proxy file as Globus does: certificate, key, chain, mode 0600', () => {
    assert.equal(statSync(proxyFile).mode & 0o777, 0o600);
    const labels = [...readFileSync(proxyFile, 'utf8').matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map((m) => m[1]);
    assert.deepEqual(labels, ['CERTIFICATE', 'PRIVATE KEY', 'CERTIFICATE']);
    assert.equal(readFileSync(proxyFile, 'utf8'), formatProxyFile(proxy));
  });

  it('refuses to read a proxy file others can read, as Globus does', async () => {
    const loose = join(dir, 'loose.pem');
    writeFileSync(loose, formatProxyFile(proxy), { mode: 0o644 });
    chmodSync(loose, 0o644);
    await assert.rejects(readProxyFile(loose), { code: 'GSI_KEY_PERMISSIONS', message: /mode 0644/ });
  });

  it('makes limited proxies of proxies, with a path length, that openssl, GCT and our validator accept', async () => {
    const second = await createProxy({
      issuerCertPem: proxy.certPem,
      issuerKey: keyOf(proxy),
      issuerChainPems: proxy.chainPems,
      policy: 'limited',
      pathLength: 0,
      lifetimeSeconds: 3600,
    });
    const file = join(dir, 'limited.pem');
    await writeProxyFile(file, second);
    const untrusted = join(dir, 'untrusted.pem');
    writeFileSync(untrusted, second.chainPems.join(''));
    assert.equal(
      openssl(['verify', '-allow_proxy_certs', '-CApath', world.trustDir, '-untrusted', untrusted, file]).trim(),
      `${file}: OK`,
    );
    const info = gct('grid-proxy-info', ['-file', file, '-type', '-identity'], gctEnv());
    assert.equal(info.stdout, `RFC 3820 compliant limited proxy\n${USER_DN}\n`);
    const checked = validateChain([second.certPem, ...second.chainPems].map(x509), world.trust);
    assert.equal(checked.identity, USER_DN);
    assert.equal(checked.limited, true);
    assert.equal(checked.proxyDepth, 2);
    await assert.rejects(
      createProxy({ issuerCertPem: second.certPem, issuerKey: keyOf(second), bits: 2048 }),
      { code: 'GSI_PROXY_PATH_LENGTH', message: /path length 0/ },
    );
  });

  it("never outlives its issuer: the lifetime is clipped to the user's certificate", async () => {
    const shortUser = await issueUserCertificate(world.ca, { subjectDn: '/O=Grid/OU=Weft/CN=Short', days: 1 });
    const long = await createProxy({
      issuerCertPem: shortUser.certPem,
      issuerKey: keyOf(shortUser),
      lifetimeSeconds: 48 * 3600,
    });
    assert.equal(long.clipped, true);
    assert.equal(long.notAfter.getTime(), new Date(x509(shortUser.certPem).validTo).getTime());
    const short = await createProxy({ issuerCertPem: shortUser.certPem, issuerKey: keyOf(shortUser), lifetimeSeconds: 3600 });
    assert.equal(short.clipped, false);
    assert.ok(Math.abs(short.notAfter.getTime() - Date.now() - HOUR) < 5000);
  });

  it('refuses to sign with a CA, with a key that is not the certificate\'s, or an expired certificate', async () => {
    await assert.rejects(createProxy({ issuerCertPem: world.ca.certPem, issuerKey: keyOf(world.ca) }), {
      code: 'GSI_PROXY_BAD_SIGNER',
      message: /is a CA certificate/,
    });
    await assert.rejects(createProxy({ issuerCertPem: world.user.certPem, issuerKey: keyOf(world.ca) }), {
      code: 'GSI_KEY_MISMATCH',
    });
    const old = await issueUserCertificate(world.ca, {
      subjectDn: '/O=Grid/OU=Weft/CN=Old',
      days: 1,
      now: new Date(Date.now() - 3 * 24 * HOUR),
    });
    await assert.rejects(createProxy({ issuerCertPem: old.certPem, issuerKey: keyOf(old) }), {
      code: 'GSI_EXPIRED',
    });
  });
});
