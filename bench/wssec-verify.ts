/**
 * WS-Security message signatures per second, beside an anchor:
 *   - signatures created: signEnvelope on a createManagedJob envelope (RSA 2048, SHA-256,
 *     exclusive c14n, a proxy → user chain as an X509PKIPathv1 token), a loop bounded to 2 s;
 *   - verifications: verifyEnvelope on such a message, including the wrapping checks, GSI chain
 *     validation (proxy → user → CA) and a no-op replay cache (a replay cache would refuse the
 *     second run of one message), a loop bounded to 2 s;
 *   - the anchor: `xmlsec1 --verify` (C, libxmlsec1 + OpenSSL) on the same kind of message with
 *     the signer's certificate, N = 20 process runs, one after another (process start included).
 * Credentials are minted into a temp dir. Prints `name value unit` lines.
 *
 * Run: node --import tsx bench/wssec-verify.ts      (about 10 seconds)
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  createProxy,
  issueUserCertificate,
  loadTrustStore,
  NO_REPLAY_CACHE,
  signEnvelope,
  verifyEnvelope,
  writeTrustDirectory,
} from '../services/gsi/index.ts';

const LOOP_MS = 2000;
const XMLSEC_RUNS = 20;
const MESSAGE =
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:g="http://weft.grid/ns/2026/gram"><soap:Body><g:createManagedJob><g:jobDescription>' +
  '&amp;(executable=/bin/echo)(arguments=bench)</g:jobDescription></g:createManagedJob></soap:Body></soap:Envelope>';

async function perSecond(run: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  let count = 0;
  while (performance.now() - started < LOOP_MS) {
    await run();
    count += 1;
  }
  return count / ((performance.now() - started) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-wssec-'));
try {
  const ca = await createCertificateAuthority({ subjectDn: '/O=Grid/OU=Bench/CN=Bench CA', days: 1 });
  const user = await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Bench/CN=Bench User', days: 1 });
  await writeTrustDirectory(join(dir, 'certificates'), ca);
  const trust = await loadTrustStore(join(dir, 'certificates'));
  const proxy = await createProxy({ issuerCertPem: user.certPem, issuerKey: createPrivateKey(user.keyPem) });
  const signing = { chainPems: [proxy.certPem, ...proxy.chainPems], privateKey: createPrivateKey(proxy.keyPem) };

  const signed = signEnvelope(MESSAGE, signing);
  console.log(`wssec_sign_per_s ${(await perSecond(() => signEnvelope(MESSAGE, signing))).toFixed(0)} signatures/s`);
  const verify = () => verifyEnvelope(signed, { trust, replay: NO_REPLAY_CACHE });
  console.log(`wssec_verify_per_s ${(await perSecond(verify)).toFixed(0)} verifications/s`);

  // The anchor verifies a message signed by the user's certificate (xmlsec1 is given the key).
  const file = join(dir, 'signed.xml');
  writeFileSync(file, signEnvelope(MESSAGE, { chainPems: [user.certPem], privateKey: user.keyPem }));
  writeFileSync(join(dir, 'user.pem'), user.certPem);
  const args = [
    '--verify',
    '--id-attr:Id', 'http://schemas.xmlsoap.org/soap/envelope/:Body',
    '--id-attr:Id', 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd:Timestamp',
    '--pubkey-cert-pem', join(dir, 'user.pem'),
    file,
  ];
  const started = performance.now();
  for (let i = 0; i < XMLSEC_RUNS; i += 1) {
    const result = spawnSync('xmlsec1', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`xmlsec1 --verify failed: ${result.stderr}`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`xmlsec1_verify_process_per_s ${(XMLSEC_RUNS / seconds).toFixed(0)} verifications/s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
