import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  createCertificateAuthority,
  type CertificateAuthority,
} from '../../../../services/gsi/pki/certificate-authority.ts';
import { createRevocationList } from '../../../../services/gsi/pki/certificate-revocation-list.ts';
import {
  issueHostCertificate,
  issueUserCertificate,
} from '../../../../services/gsi/pki/issue-certificate.ts';
import type { PemCredential } from '../../../../services/gsi/pki/mint-certificate.ts';
import { opensslSubjectHash } from '../../../../services/gsi/pki/openssl-subject-hash.ts';
import { writeTrustDirectory } from '../../../../services/gsi/pki/trust-directory.ts';
import { parseRevocationList } from '../../../../services/gsi/trust/revocation-list.ts';
import {
  createTrustStore,
  loadTrustStore,
  type TrustStore,
} from '../../../../services/gsi/trust/trust-store.ts';
import { validateChain } from '../../../../services/gsi/trust/validate-chain.ts';
import { makeTempDir, tamperSignature } from '../support/fixtures.ts';

const x509 = (credential: { certPem: string }) => new X509Certificate(credential.certPem);
const DAY = 86_400_000;

describe('validateChain', () => {
  const dir = makeTempDir('validate');
  let root: CertificateAuthority;
  let intermediate: CertificateAuthority;
  let user: PemCredential;
  let viaIntermediate: PemCredential;
  let revoked: PemCredential;
  let trust: TrustStore;

  before(async () => {
    root = await createCertificateAuthority({ subjectDn: '/O=Grid/OU=Weft/CN=Root CA', days: 30 });
    intermediate = await createCertificateAuthority({
      subjectDn: '/O=Grid/OU=Weft/CN=Sub CA',
      days: 30,
      issuer: root,
    });
    [user, viaIntermediate, revoked] = await Promise.all([
      issueUserCertificate(root, { subjectDn: '/O=Grid/OU=Weft/CN=Dev User', days: 7 }),
      issueUserCertificate(intermediate, { subjectDn: '/O=Grid/OU=Weft/CN=Far User', days: 7 }),
      issueUserCertificate(root, { subjectDn: '/O=Grid/OU=Weft/CN=Gone User', days: 7 }),
    ]);
    const trustDir = join(dir, 'certificates');
    await writeTrustDirectory(trustDir, root);
    const crl = createRevocationList(root, {
      days: 30,
      revoked: [{ serialNumber: x509(revoked).serialNumber, revokedAt: new Date() }],
    });
    writeFileSync(join(trustDir, `${opensslSubjectHash(root.certPem)}.r0`), crl);
    trust = await loadTrustStore(trustDir);
  });

  it('accepts a good leaf, with or without the CA, and through an intermediate', () => {
    assert.deepEqual(validateChain([x509(user)], trust), {
      identity: '/O=Grid/OU=Weft/CN=Dev User',
      endEntity: '/O=Grid/OU=Weft/CN=Dev User',
      chainSubjects: ['/O=Grid/OU=Weft/CN=Dev User', '/O=Grid/OU=Weft/CN=Root CA'],
      limited: false,
      proxyDepth: 0,
    });
    assert.equal(
      validateChain([x509(user), x509(root)], trust).identity,
      '/O=Grid/OU=Weft/CN=Dev User',
    );
    assert.deepEqual(
      validateChain([x509(viaIntermediate), x509(intermediate)], trust).chainSubjects,
      ['/O=Grid/OU=Weft/CN=Far User', '/O=Grid/OU=Weft/CN=Sub CA', '/O=Grid/OU=Weft/CN=Root CA'],
    );
  });

  it('refuses an empty chain', () => {
    assert.throws(() => validateChain([], trust), { code: 'GSI_NO_CLIENT_CERT' });
  });

  it('refuses an expired certificate, naming it', async () => {
    const old = await issueUserCertificate(root, {
      subjectDn: '/O=Grid/OU=Weft/CN=Old User',
      days: 1,
      now: new Date(Date.now() - 3 * DAY),
    });
    assert.throws(() => validateChain([x509(old)], trust), {
      code: 'GSI_EXPIRED',
      message: /"\/O=Grid\/OU=Weft\/CN=Old User" expired at/,
    });
  });

  it('refuses a certificate that is not valid yet, with its own code', async () => {
    const early = await issueUserCertificate(root, {
      subjectDn: '/O=Grid/OU=Weft/CN=Early',
      days: 1,
      now: new Date(Date.now() + DAY),
    });
    assert.throws(() => validateChain([x509(early)], trust), {
      code: 'GSI_NOT_YET_VALID',
      message: /CN=Early" is not valid until/,
    });
  });

  it("refuses a self-signed certificate, even one claiming the trusted CA's name", async () => {
    const self = await createCertificateAuthority({
      subjectDn: '/O=Grid/OU=Weft/CN=Myself',
      days: 1,
    });
    assert.throws(() => validateChain([x509(self)], trust), {
      code: 'GSI_SELF_SIGNED',
      message: /CN=Myself" is self-signed/,
    });
    const impostor = await createCertificateAuthority({
      subjectDn: '/O=Grid/OU=Weft/CN=Root CA',
      days: 1,
    });
    assert.throws(() => validateChain([x509(impostor)], trust), { code: 'GSI_SELF_SIGNED' });
  });

  it('refuses a certificate from a CA it does not trust', async () => {
    const other = await createCertificateAuthority({
      subjectDn: '/O=Elsewhere/CN=Other CA',
      days: 1,
    });
    const stranger = await issueUserCertificate(other, {
      subjectDn: '/O=Grid/OU=Weft/CN=Dev User',
      days: 1,
    });
    assert.throws(() => validateChain([x509(stranger)], trust), {
      code: 'GSI_UNTRUSTED_CA',
      message: /"\/O=Elsewhere\/CN=Other CA", a CA that is not in/,
    });
    assert.throws(() => validateChain([x509(stranger), x509(other)], trust), {
      code: 'GSI_UNTRUSTED_CA',
      message: /chain ends at the CA/,
    });
  });

  it('refuses a certificate whose signature was tampered with', () => {
    const forged = new X509Certificate(tamperSignature(x509(user).raw));
    assert.throws(() => validateChain([forged], trust), {
      code: 'GSI_BAD_SIGNATURE',
      message: /CN=Dev User" does not verify with the key of "\/O=Grid\/OU=Weft\/CN=Root CA"/,
    });
  });

  it('refuses a CA of the trusted name but another key, sent along with the chain', async () => {
    const impostor = await createCertificateAuthority({
      subjectDn: '/O=Grid/OU=Weft/CN=Root CA',
      days: 1,
    });
    const victim = await issueUserCertificate(impostor, {
      subjectDn: '/O=Grid/OU=Weft/CN=Dev User',
      days: 1,
    });
    assert.throws(() => validateChain([x509(victim), x509(impostor)], trust), {
      code: 'GSI_BAD_SIGNATURE',
    });
    assert.throws(() => validateChain([x509(victim)], trust), { code: 'GSI_BAD_SIGNATURE' });
  });

  it('refuses a certificate the CA has revoked', () => {
    assert.throws(() => validateChain([x509(revoked)], trust), {
      code: 'GSI_CRL_REVOKED',
      message: /CN=Gone User" \(serial [0-9A-F]+\) has been revoked/,
    });
  });

  it('refuses a chain whose intermediate is not a CA', async () => {
    const signedByUser = await issueUserCertificate(user, {
      subjectDn: '/O=Grid/OU=Weft/CN=Sneaky',
      days: 1,
    });
    assert.throws(() => validateChain([x509(signedByUser), x509(user)], trust), {
      code: 'GSI_NOT_A_CA',
      message: /CN=Dev User" signed .* but is not a CA/,
    });
  });

  it('refuses a chain sent out of order, and one missing its intermediate', () => {
    assert.throws(() => validateChain([x509(intermediate), x509(viaIntermediate)], trust), {
      code: 'GSI_BAD_CHAIN_ORDER',
    });
    assert.throws(() => validateChain([x509(viaIntermediate)], trust), {
      code: 'GSI_UNTRUSTED_CA',
    });
  });

  it("honours a CA's path length constraint", async () => {
    const tight = await createCertificateAuthority({
      subjectDn: '/O=Grid/OU=Weft/CN=Tight CA',
      days: 1,
      issuer: root,
      pathLength: 0,
    });
    const sub = await createCertificateAuthority({
      subjectDn: '/O=Grid/OU=Weft/CN=Too Deep CA',
      days: 1,
      issuer: tight,
    });
    const leaf = await issueHostCertificate(sub, { hostname: 'deep.example.org', days: 1 });
    assert.throws(() => validateChain([x509(leaf), x509(sub), x509(tight)], trust), {
      code: 'GSI_NOT_A_CA',
      message: /allows at most 0/,
    });
  });

  it('refuses certificates of a CA whose CRL has expired or is forged', async () => {
    const stale = parseRevocationList(
      createRevocationList(root, { days: 1, now: new Date(Date.now() - 3 * DAY) }),
      'stale.r0',
    );
    const staleStore = createTrustStore({
      certDir: 'memory',
      anchors: [{ cert: x509(root), source: 'memory' }],
      revocationLists: [stale],
    });
    assert.throws(() => validateChain([x509(user)], staleStore), {
      code: 'GSI_CRL_INVALID',
      message: /stale\.r0/,
    });
    const impostor = await createCertificateAuthority({
      subjectDn: '/O=Grid/OU=Weft/CN=Root CA',
      days: 1,
    });
    const forged = parseRevocationList(createRevocationList(impostor, { days: 1 }), 'forged.r0');
    const forgedStore = createTrustStore({
      certDir: 'memory',
      anchors: [{ cert: x509(root), source: 'memory' }],
      revocationLists: [forged],
    });
    assert.throws(() => validateChain([x509(user)], forgedStore), {
      code: 'GSI_CRL_INVALID',
      message: /not signed by that CA/,
    });
  });

  it('checks validity at the time it is given', () => {
    assert.throws(() => validateChain([x509(user)], trust, new Date(Date.now() + 60 * DAY)), {
      code: 'GSI_EXPIRED',
    });
  });
});
