import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  createCertificateAuthority,
  type CertificateAuthority,
} from '../../../../services/gsi/pki/certificate-authority.ts';
import { createRevocationList } from '../../../../services/gsi/pki/certificate-revocation-list.ts';
import { issueUserCertificate } from '../../../../services/gsi/pki/issue-certificate.ts';
import { opensslSubjectHash } from '../../../../services/gsi/pki/openssl-subject-hash.ts';
import { writeTrustDirectory } from '../../../../services/gsi/pki/trust-directory.ts';
import { makeTempDir, openssl, opensslFailure, opensslOutput } from '../support/fixtures.ts';

describe('trust directory', () => {
  const dir = makeTempDir('trustdir');
  const trustDir = join(dir, 'certificates');
  let ca: CertificateAuthority;
  let hash: string;

  before(async () => {
    ca = await createCertificateAuthority({
      subjectDn: '/O=Grid/OU=Weft/CN=Weft Dev CA',
      days: 30,
    });
    hash = opensslSubjectHash(ca.certPem);
    await writeTrustDirectory(trustDir, ca);
  });

  it('holds the CA, its Globus signing policy and its CRL under the subject hash', () => {
    assert.deepEqual(readdirSync(trustDir).sort(), [
      `${hash}.0`,
      `${hash}.r0`,
      `${hash}.signing_policy`,
    ]);
    assert.equal(readFileSync(join(trustDir, `${hash}.0`), 'utf8'), ca.certPem);
    const policy = readFileSync(join(trustDir, `${hash}.signing_policy`), 'utf8');
    assert.match(policy, /^access_id_CA\s+X509\s+'\/O=Grid\/OU=Weft\/CN=Weft Dev CA'$/m);
    assert.match(policy, /^pos_rights\s+globus\s+CA:sign$/m);
    assert.match(policy, /^cond_subjects\s+globus\s+'"\/O=Grid\/OU=Weft\/\*"'$/m);
  });

  it('writes an empty CRL that openssl reads and verifies against the CA, valid 30 days', () => {
    const crl = join(trustDir, `${hash}.r0`);
    const text = openssl(['crl', '-in', crl, '-noout', '-text']);
    assert.match(text, /Version 2/);
    assert.match(text, /Issuer: O = Grid, OU = Weft, CN = Weft Dev CA/);
    assert.match(text, /No Revoked Certificates/);
    const next = /Next Update: (.+)/.exec(text)?.[1] ?? '';
    const days = (Date.parse(next) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `next update in ${days} days`);
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, ca.certPem);
    assert.match(opensslOutput(['crl', '-in', crl, '-noout', '-CAfile', caFile]), /verify OK/);
    const otherCa = join(dir, 'other-ca.pem');
    // Same name, another RSA key: openssl must say the CRL was not signed by it.
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/O=Grid/OU=Weft/CN=Weft Dev CA',
      '-keyout',
      join(dir, 'other.key'),
      '-out',
      otherCa,
    ]);
    assert.match(
      opensslOutput(['crl', '-in', crl, '-noout', '-CAfile', otherCa]),
      /verify failure/,
    );
  });

  it('changes nothing when run again, and renews a CRL that is about to expire', async () => {
    assert.deepEqual(await writeTrustDirectory(trustDir, ca), []);
    const later = new Date(Date.now() + 25 * 86_400_000);
    assert.deepEqual(await writeTrustDirectory(trustDir, ca, { now: later }), [
      join(trustDir, `${hash}.r0`),
    ]);
  });

  it('makes CRLs that openssl -crl_check uses to refuse a revoked certificate', async () => {
    const user = await issueUserCertificate(ca, {
      subjectDn: '/O=Grid/OU=Weft/CN=Revoked',
      days: 1,
    });
    const serial = new X509Certificate(user.certPem).serialNumber;
    const local = join(dir, 'revoking');
    await writeTrustDirectory(local, ca);
    writeFileSync(
      join(local, `${hash}.r0`),
      createRevocationList(ca, {
        days: 1,
        revoked: [{ serialNumber: serial, revokedAt: new Date() }],
      }),
    );
    writeFileSync(join(dir, 'revoked.pem'), user.certPem);
    const out = opensslFailure([
      'verify',
      '-CApath',
      local,
      '-crl_check',
      join(dir, 'revoked.pem'),
    ]);
    assert.match(out, /certificate revoked/);
  });
});
