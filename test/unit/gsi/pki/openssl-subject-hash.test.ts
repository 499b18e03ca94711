import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createCertificateAuthority } from '../../../../services/gsi/pki/certificate-authority.ts';
import { issueUserCertificate } from '../../../../services/gsi/pki/issue-certificate.ts';
import {
  canonicalNameEncoding,
  opensslIssuerHash,
  opensslSubjectHash,
} from '../../../../services/gsi/pki/openssl-subject-hash.ts';
import { certificateNames } from '../../../../services/gsi/certificate-names.ts';
import { makeTempDir, openssl } from '../support/fixtures.ts';

/** Subjects chosen to exercise each canonicalisation rule OpenSSL applies before hashing. */
const SUBJECTS = [
  '/O=Grid/OU=Weft/CN=Weft Dev CA',
  '/O=GRID/OU=weft/CN=Weft DEV ca', // ASCII case folds
  '/O=Grid/OU=Weft/CN=  Lots   of\tspace  ', // trimmed, runs collapsed, tab is a space
  '/C=DE/ST=Bayern/L=M\u00fcnchen/O=LRZ/CN=J\u00dcRGEN M\u00fcller', // non-ASCII is not folded
  '/DC=org/DC=example/CN=x+UID=y+emailAddress=Y@Example.ORG', // multi-valued RDN, sorted
  '/CN=host\\/localhost/serialNumber=00042',
];

describe('OpenSSL subject hash', () => {
  const dir = makeTempDir('hash');

  it('equals `openssl x509 -hash` for names in every awkward spelling', () => {
    SUBJECTS.forEach((subject, i) => {
      const file = join(dir, `cert${i}.pem`);
      openssl([
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-utf8',
        '-multivalue-rdn',
        '-subj',
        subject,
        '-keyout',
        join(dir, `key${i}.pem`),
        '-out',
        file,
        '-days',
        '1',
      ]);
      const expected = openssl(['x509', '-in', file, '-hash', '-noout']).trim();
      assert.equal(opensslSubjectHash(readFileSync(file, 'utf8')), expected, subject);
    });
  });

  it('equals OpenSSL for names Weft mints (PrintableString, IA5String, UTF8String)', async () => {
    const ca = await createCertificateAuthority({
      subjectDn: '/C=UK/O=Grid/CN=Mixed Types CA',
      days: 1,
    });
    const user = await issueUserCertificate(ca, {
      subjectDn: '/C=UK/O=Grid/CN=Ann Other/emailAddress=Ann@Example.org',
      days: 1,
    });
    const file = join(dir, 'user.pem');
    openssl(['x509', '-out', file], user.certPem);
    assert.equal(
      opensslSubjectHash(user.certPem),
      openssl(['x509', '-in', file, '-hash', '-noout']).trim(),
    );
    assert.equal(
      opensslIssuerHash(user.certPem),
      openssl(['x509', '-in', file, '-issuer_hash', '-noout']).trim(),
    );
    assert.equal(opensslIssuerHash(user.certPem), opensslSubjectHash(ca.certPem));
  });

  it('gives names that differ only in case and spacing the same canonical encoding', () => {
    const names = [0, 1].map((i) => {
      const cert = new X509Certificate(readFileSync(join(dir, `cert${i}.pem`)));
      return canonicalNameEncoding(certificateNames(cert.raw).subject);
    });
    assert.ok(names[0]!.equals(names[1]!));
  });
});
