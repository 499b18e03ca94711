/**
 * WS-Security at the container's door: a signature alone authenticates a call (from our client
 * and from Python zeep), a signature and a TLS certificate must name the same person, and every
 * forged, stale, replayed or wrapped message is refused with its code and changes nothing.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  createCertificateAuthority,
  createProxy,
  DEV_USER_DN,
  issueUserCertificate,
  signEnvelope,
  writeProxyFile,
} from '../../../services/gsi/index.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { createJobEnvelope, faultCode, rawRequest } from '../../support/raw-soap.ts';
import { runToEnd } from '../../support/run-job.ts';
import { runWeft } from '../../support/run-weft.ts';
import { signTimestampOnly, wrapSignedBody } from '../../support/signed-soap.ts';

const run = promisify(execFile);
const ECHO = '&(executable=/bin/echo)(arguments=signed)';

describe('WS-Security message signatures at the container', () => {
  let grid: TestGrid;
  let factory: string;
  const sign = (xml: string, now?: Date) =>
    signEnvelope(xml, { chainPems: [grid.user.certPem], privateKey: grid.user.keyPem, ...(now ? { now } : {}) });

  before(async () => {
    grid = await startTestGrid();
    factory = `${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`;
  });
  after(async () => {
    await grid?.stop();
  });

  const jobCount = async () => (await grid.redis.client.keys('weft:job:*')).length;

  /** Posts without a TLS client certificate unless one is given. */
  const post = (body: string, tls: { certPem?: string; keyPem?: string } = {}) =>
    rawRequest(factory, body, { ...tls, caPems: grid.caPems });

  async function assertRefused(body: string, code: string, message: RegExp) {
    const before = await jobCount();
    const answer = await post(body);
    assert.equal(faultCode(answer.body), code, answer.body);
    assert.match(answer.body, message);
    assert.equal(await jobCount(), before, 'nothing was stored');
  }

  it('runs a job for a caller known only by the signature of our client (WEFT_WSSEC=only)', async () => {
    const status = await runToEnd(grid.baseUrl, ECHO, { ...grid.user, messageSecurity: 'sign-only' });
    assert.equal(status.stdout, 'signed\n');
    assert.equal(status.owner, DEV_USER_DN);
  });

  it('runs `WEFT_WSSEC=only weft globus-job-run` through a proxy, known by the signature alone', async () => {
    const proxy = await createProxy({ issuerCertPem: grid.user.certPem, issuerKey: createPrivateKey(grid.user.keyPem) });
    const proxyFile = join(grid.certsDir, 'x509up_wssec');
    await writeProxyFile(proxyFile, proxy);
    const { X509_USER_CERT: _cert, X509_USER_KEY: _key, ...base } = process.env;
    const env = {
      ...base,
      X509_USER_PROXY: proxyFile,
      X509_CERT_DIR: join(grid.certsDir, 'grid-security', 'certificates'),
      WEFT_WSSEC: 'only',
    };
    const signaturesSeen = async () => (await grid.redis.client.keys('weft:wssec:replay:*')).length;
    const before = await signaturesSeen();
    const run = await runWeft(['globus-job-run', grid.baseUrl, '/bin/echo', 'via', 'proxy'], env);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'via proxy\n');
    assert.ok((await signaturesSeen()) > before, 'the calls were signed (and remembered against replay)');
  });

  it('accepts a request signed by Python zeep without a TLS client certificate, owned by the signer', async () => {
    const bundle = join(grid.certsDir, 'ca-bundle.pem');
    writeFileSync(bundle, grid.caPems.join('\n'));
    const { stdout } = await run(
      '/usr/bin/python3',
      [
        join(import.meta.dirname, '..', '..', 'e2e', 'zeep_signed_client.py'),
        grid.baseUrl,
        join(grid.certsDir, 'user', 'usercert.pem'),
        join(grid.certsDir, 'user', 'userkey.pem'),
        bundle,
      ],
      { timeout: 30_000 },
    );
    const result = JSON.parse(stdout);
    assert.equal(result.state, 'Done');
    assert.equal(result.stdout, 'signed by zeep\n');
    assert.equal(result.owner, DEV_USER_DN);
  });

  it('refuses a signature and a TLS certificate that name different people', async () => {
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    const mallory = await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Mallory', days: 1 });
    const before = await jobCount();
    const answer = await post(sign(createJobEnvelope(ECHO)), mallory);
    assert.equal(faultCode(answer.body), 'GSI_WSSEC_BAD_SIGNATURE', answer.body);
    assert.match(answer.body, /Mallory/);
    assert.equal(await jobCount(), before);
  });

  it('refuses a call with neither a certificate nor a signature, naming both ways in', async () => {
    await assertRefused(createJobEnvelope(ECHO), 'GSI_NO_CLIENT_CERT', /WS-Security/);
  });

  it('refuses a Body modified after signing', async () => {
    const signed = sign(createJobEnvelope(ECHO));
    await assertRefused(signed.replace('/bin/echo', '/bin/rm'), 'GSI_WSSEC_BAD_SIGNATURE', /changed after signing/);
  });

  it('refuses a stale Timestamp', async () => {
    const signed = sign(createJobEnvelope(ECHO), new Date(Date.now() - 20 * 60_000));
    await assertRefused(signed, 'GSI_WSSEC_STALE', /expired at/);
  });

  it('refuses the same signed message sent twice', async () => {
    const signed = sign(createJobEnvelope(ECHO));
    const first = await post(signed);
    assert.equal(faultCode(first.body), undefined, first.body);
    await assertRefused(signed, 'GSI_WSSEC_REPLAY', /already received/);
  });

  it('refuses a signature wrapped around a Body moved into a header', async () => {
    const signed = sign(createJobEnvelope(ECHO));
    const wrapped = wrapSignedBody(
      signed,
      '<g:createManagedJob><g:jobDescription>&amp;(executable=/bin/rm)</g:jobDescription></g:createManagedJob>',
    );
    await assertRefused(wrapped, 'GSI_WSSEC_UNSIGNED_BODY', /does not cover this envelope(&#39;|')s Body/);
  });

  it('refuses a signature by a certificate from a CA it does not trust', async () => {
    const otherCa = await createCertificateAuthority({ subjectDn: '/O=Elsewhere/CN=Other CA', days: 1 });
    const intruder = await issueUserCertificate(otherCa, { subjectDn: DEV_USER_DN, days: 1 });
    const signed = signEnvelope(createJobEnvelope(ECHO), { chainPems: [intruder.certPem], privateKey: intruder.keyPem });
    await assertRefused(signed, 'GSI_UNTRUSTED_CA', /Other CA/);
  });

  it('refuses an unsigned Body under a signed Timestamp', async () => {
    const signed = signTimestampOnly(createJobEnvelope(ECHO), [grid.user.certPem], grid.user.keyPem);
    await assertRefused(signed, 'GSI_WSSEC_UNSIGNED_BODY', /does not cover this envelope(&#39;|')s Body/);
  });
});
