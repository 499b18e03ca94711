import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { globusSubjectOf } from '../../../../services/gsi/certificate-names.ts';
import {
  createCertificateAuthority,
  type CertificateAuthority,
} from '../../../../services/gsi/pki/certificate-authority.ts';
import {
  issueHostCertificate,
  issueUserCertificate,
} from '../../../../services/gsi/pki/issue-certificate.ts';
import type { PemCredential } from '../../../../services/gsi/pki/mint-certificate.ts';
import { writeTrustDirectory } from '../../../../services/gsi/pki/trust-directory.ts';
import { makeTempDir, openssl } from '../support/fixtures.ts';

describe('issuing certificates', () => {
  const dir = makeTempDir('issue');
  const trustDir = join(dir, 'certificates');
  let ca: CertificateAuthority;
  let host: PemCredential;
  let user: PemCredential;

  before(async () => {
    ca = await createCertificateAuthority({ subjectDn: '/O=Grid/OU=Weft/CN=Test CA', days: 30 });
    [host, user] = await Promise.all([
      issueHostCertificate(ca, { hostname: 'localhost', days: 7 }),
      issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Dev User', days: 7 }),
    ]);
    await writeTrustDirectory(trustDir, ca);
    writeFileSync(join(dir, 'hostcert.pem'), host.certPem);
    writeFileSync(join(dir, 'usercert.pem'), user.certPem);
  });

  it('makes certificates `openssl verify -CApath` accepts, CRL check included', () => {
    for (const file of ['usercert.pem', 'hostcert.pem']) {
      const out = openssl(['verify', '-CApath', trustDir, '-crl_check', join(dir, file)]);
      assert.equal(out.trim(), `${join(dir, file)}: OK`);
    }
    openssl(['verify', '-CApath', trustDir, '-purpose', 'sslserver', join(dir, 'hostcert.pem')]);
    openssl(['verify', '-CApath', trustDir, '-purpose', 'sslclient', join(dir, 'usercert.pem')]);
  });

  it('makes a CA certificate that is a CA and a host certificate for localhost', () => {
    const caCert = new X509Certificate(ca.certPem);
    const hostCert = new X509Certificate(host.certPem);
    assert.ok(caCert.ca);
    assert.ok(!hostCert.ca);
    assert.equal(globusSubjectOf(hostCert), '/O=Grid/OU=Weft/CN=host/localhost');
    assert.equal(hostCert.checkHost('localhost'), 'localhost');
    assert.equal(hostCert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.deepEqual(hostCert.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']); // server + client auth
    assert.equal(hostCert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  });

  it('makes a user certificate for TLS clients that can sign proxies', () => {
    const cert = new X509Certificate(user.certPem);
    assert.equal(globusSubjectOf(cert), '/O=Grid/OU=Weft/CN=Dev User');
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    const text = openssl(['x509', '-noout', '-text'], user.certPem);
    assert.match(
      text,
      /Key Usage: critical\s+Digital Signature, Key Encipherment, Data Encipherment/,
    );
    assert.match(user.keyPem, new RegExp(`^-----BEGIN ${'PRIVATE'} KEY-----`));
  });

  it('gives each certificate a random positive 16-byte serial number', () => {
    const serials = [ca, host, user].map((c) => new X509Certificate(c.certPem).serialNumber);
    assert.equal(new Set(serials).size, 3);
    for (const serial of serials) assert.match(serial, /^[0-7][0-9A-F]{31}$/);
  });

  it('copies the issuer name byte for byte, so subordinate CAs chain', async () => {
    const sub = await createCertificateAuthority({
      subjectDn: '/O=Grid/OU=Weft/CN=Sub CA',
      days: 7,
      issuer: ca,
    });
    const leaf = await issueUserCertificate(sub, { subjectDn: '/O=Grid/OU=Weft/CN=Leaf', days: 1 });
    writeFileSync(join(dir, 'sub.pem'), sub.certPem);
    writeFileSync(join(dir, 'leaf.pem'), leaf.certPem);
    openssl([
      'verify',
      '-CApath',
      trustDir,
      '-untrusted',
      join(dir, 'sub.pem'),
      join(dir, 'leaf.pem'),
    ]);
  });
});
