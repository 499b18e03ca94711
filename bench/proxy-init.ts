/**
 * Proxy creation time (2048-bit RSA) beside its anchor, GCT's grid-proxy-init, and proxy-chain
 * validations per second:
 *   - in process: createProxy (Node's OpenSSL makes the key and signs; forge lays out the DER),
 *     and signProxy alone for a key made beforehand (what is left once key generation, which
 *     varies a lot from run to run with the search for primes, is taken out);
 *   - the command a user types: `bin/weft grid-proxy-init -q` (includes Node and tsx start-up);
 *   - the anchor: GCT's `grid-proxy-init -q -rfc` (C, OpenSSL), same user, the two commands
 *     alternating N_CLI = 30 times each;
 *   - validateChain on proxy → user certificate → CA, in a loop bounded to 2 seconds.
 * Each runs N = 10 times, one after another; medians and minima are printed as `name value unit`.
 * Credentials are minted into a temp dir; no real proxy is touched.
 *
 * Run: node --import tsx bench/proxy-init.ts      (about 20 seconds)
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createCertificateAuthority,
  createProxy,
  issueUserCertificate,
  loadTrustStore,
  signProxy,
  validateChain,
  writeTrustDirectory,
} from '../services/gsi/index.ts';
import { generateRsaKeyPair } from '../services/gsi/pki/index.ts';

const N = 10;
/** Runs of each command-line tool, alternating. */
const N_CLI = 30;
const VALIDATION_LOOP_MS = 2000;
const WEFT = join(resolve(import.meta.dirname, '..'), 'bin', 'weft');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function report(name: string, times: number[]) {
  console.log(`${name}_ms_median ${median(times).toFixed(1)} ms`);
  console.log(`${name}_ms_min ${Math.min(...times).toFixed(1)} ms`);
}

async function timeEach(run: () => Promise<unknown> | unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

function runOrThrow(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-proxy-'));
try {
  const ca = await createCertificateAuthority({
    subjectDn: '/O=Grid/OU=Weft/CN=Bench CA',
    days: 1,
  });
  const user = await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Bench User', days: 1 });
  const trustDir = join(dir, 'certificates');
  await writeTrustDirectory(trustDir, ca);
  const certFile = join(dir, 'usercert.pem');
  const keyFile = join(dir, 'userkey.pem');
  writeFileSync(certFile, user.certPem, { mode: 0o644 });
  writeFileSync(keyFile, user.keyPem, { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    X509_USER_CERT: certFile,
    X509_USER_KEY: keyFile,
    X509_USER_PROXY: join(dir, 'x509up_bench'),
    X509_CERT_DIR: trustDir,
  };
  const issuerKey = createPrivateKey(user.keyPem);

  report(
    'proxy_init_weft_inprocess',
    await timeEach(() => createProxy({ issuerCertPem: user.certPem, issuerKey, bits: 2048 })),
  );
  const { publicKey } = await generateRsaKeyPair(2048);
  report(
    'proxy_sign_weft_inprocess',
    await timeEach(() => signProxy(publicKey, { issuerCertPem: user.certPem, issuerKey })),
  );
  // The two commands run alternately, N_CLI times each, so that whatever else the machine does
  // weighs on both alike; key generation's spread (the search for primes) needs the larger N.
  const weftTimes: number[] = [];
  const gctTimes: number[] = [];
  const gctOut = join(dir, 'x509up_gct');
  const haveGct = existsSync('/usr/bin/grid-proxy-init');
  if (!haveGct) console.error('grid-proxy-init (Debian globus-proxy-utils) is not installed: no GCT anchor');
  const timeOnce = (times: number[], command: string, args: string[]) => {
    const started = performance.now();
    runOrThrow(command, args, env);
    times.push(performance.now() - started);
  };
  for (let i = 0; i < N_CLI; i += 1) {
    timeOnce(weftTimes, process.execPath, [WEFT, 'grid-proxy-init', '-q', '-bits', '2048']);
    if (haveGct) timeOnce(gctTimes, '/usr/bin/grid-proxy-init', ['-q', '-rfc', '-bits', '2048', '-out', gctOut]);
  }
  report('proxy_init_weft_cli', weftTimes);
  if (haveGct) report('proxy_init_gct_cli', gctTimes);

  const trust = await loadTrustStore(trustDir);
  const proxy = await createProxy({ issuerCertPem: user.certPem, issuerKey });
  const chainPems = [proxy.certPem, ...proxy.chainPems, ca.certPem];
  let validations = 0;
  const started = performance.now();
  while (performance.now() - started < VALIDATION_LOOP_MS) {
    // Parse each time, as the container does for every connection's chain.
    validateChain(chainPems.map((pem) => new X509Certificate(pem)), trust);
    validations += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`proxy_chain_validations_per_s ${(validations / seconds).toFixed(0)} validations/s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
