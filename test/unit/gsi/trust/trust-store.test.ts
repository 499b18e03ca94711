import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  createCertificateAuthority,
  type CertificateAuthority,
} from '../../../../services/gsi/pki/certificate-authority.ts';
import { issueUserCertificate } from '../../../../services/gsi/pki/issue-certificate.ts';
import { opensslSubjectHash } from '../../../../services/gsi/pki/openssl-subject-hash.ts';
import { writeTrustDirectory } from '../../../../services/gsi/pki/trust-directory.ts';
import { loadTrustStore } from '../../../../services/gsi/trust/trust-store.ts';
import { makeTempDir } from '../support/fixtures.ts';

describe('loadTrustStore', () => {
  const dir = makeTempDir('store');
  const trustDir = join(dir, 'certificates');
  let first: CertificateAuthority;
  let second: CertificateAuthority;

  before(async () => {
    [first, second] = await Promise.all([
      createCertificateAuthority({ subjectDn: '/O=Grid/CN=First CA', days: 1 }),
      createCertificateAuthority({ subjectDn: '/DC=org/DC=example/CN=Second CA', days: 1 }),
    ]);
    await writeTrustDirectory(trustDir, first);
    await writeTrustDirectory(trustDir, second);
    writeFileSync(join(trustDir, 'deadbeef.0'), first.certPem); // misnamed: OpenSSL would never find it
    writeFileSync(join(trustDir, '0badf11e.0'), 'not a certificate');
    writeFileSync(join(trustDir, 'README'), 'other tools keep files here too');
  });

  it('reads every <hash>.0 CA and <hash>.r0 CRL, and names the files it skipped', async () => {
    const store = await loadTrustStore(trustDir);
    assert.deepEqual(store.anchors.map((a) => a.dn).sort(), [
      '/DC=org/DC=example/CN=Second CA',
      '/O=Grid/CN=First CA',
    ]);
    assert.deepEqual(
      store.anchors.map((a) => a.hash).sort(),
      [opensslSubjectHash(first.certPem), opensslSubjectHash(second.certPem)].sort(),
    );
    assert.equal(store.revocationLists.length, 2);
    assert.equal(store.problems.length, 2);
    assert.match(store.problems.join('\n'), /deadbeef\.0 skipped: its subject hash is/);
    assert.match(store.problems.join('\n'), /0badf11e\.0 skipped/);
  });

  it('finds the CA that issued a certificate by its name', async () => {
    const store = await loadTrustStore(trustDir);
    const user = new X509Certificate(
      (await issueUserCertificate(second, { subjectDn: '/DC=org/DC=example/CN=u', days: 1 }))
        .certPem,
    );
    assert.deepEqual(
      store.anchorsNamedAsIssuerOf(user).map((a) => a.dn),
      ['/DC=org/DC=example/CN=Second CA'],
    );
    assert.equal(store.findAnchor(new X509Certificate(first.certPem))?.dn, '/O=Grid/CN=First CA');
    assert.equal(store.findAnchor(user), undefined);
    assert.deepEqual(
      store.revocationListsOf(new X509Certificate(second.certPem)).map((m) => m.signatureValid),
      [true],
    );
  });

  it('refuses a missing directory, or one without any CA', async () => {
    await assert.rejects(loadTrustStore(join(dir, 'nope')), {
      code: 'GSI_TRUST_DIR_NOT_FOUND',
      message: /cannot be read \(ENOENT\)/,
    });
    mkdirSync(join(dir, 'empty'));
    await assert.rejects(loadTrustStore(join(dir, 'empty')), {
      code: 'GSI_TRUST_DIR_NOT_FOUND',
      message: /holds no CA certificate/,
    });
  });
});
