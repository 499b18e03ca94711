/**
 * Helpers for proxy tests: a user with a trust directory, the real GCT tools run with an
 * argument vector (never a shell), and hand-built proxies that break one rule at a time.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateNames } from '../../../../services/gsi/certificate-names.ts';
import { DerTag, derChildren, encodeDer, encodeOid } from '../../../../services/gsi/der.ts';
import { globusDnToForgeAttributes } from '../../../../services/gsi/dn.ts';
import {
  createCertificateAuthority,
  type CertificateAuthority,
} from '../../../../services/gsi/pki/certificate-authority.ts';
import { issueUserCertificate } from '../../../../services/gsi/pki/issue-certificate.ts';
import {
  generateRsaKeyPair,
  mintCertificate,
  type PemCredential,
} from '../../../../services/gsi/pki/mint-certificate.ts';
import { writeTrustDirectory } from '../../../../services/gsi/pki/trust-directory.ts';
import { PROXY_CERT_INFO_OID } from '../../../../services/gsi/proxy/proxy-cert-info.ts';
import { loadTrustStore, type TrustStore } from '../../../../services/gsi/trust/trust-store.ts';

export const USER_DN = '/O=Grid/OU=Weft/CN=Proxy User';

/** A CA, its trust directory, and a user whose key is written 0600 beside the certificate. */
export interface ProxyWorld {
  readonly ca: CertificateAuthority;
  readonly user: PemCredential;
  readonly trustDir: string;
  readonly trust: TrustStore;
  readonly userCertFile: string;
  readonly userKeyFile: string;
}

export async function makeProxyWorld(dir: string, userDays = 7): Promise<ProxyWorld> {
  const ca = await createCertificateAuthority({ subjectDn: '/O=Grid/OU=Weft/CN=Proxy CA', days: 30 });
  const user = await issueUserCertificate(ca, { subjectDn: USER_DN, days: userDays });
  const trustDir = join(dir, 'certificates');
  await writeTrustDirectory(trustDir, ca);
  const userCertFile = join(dir, 'usercert.pem');
  const userKeyFile = join(dir, 'userkey.pem');
  writeFileSync(userCertFile, user.certPem, { mode: 0o644 });
  writeFileSync(userKeyFile, user.keyPem, { mode: 0o600 });
  return { ca, user, trustDir, trust: await loadTrustStore(trustDir), userCertFile, userKeyFile };
}

/** Runs a GCT program from /usr/bin; returns status and output whatever the outcome. */
export function gct(
  program: 'grid-proxy-info' | 'grid-proxy-init',
  args: readonly string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(`/usr/bin/${program}`, args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: env['HOME'] ?? '/nonexistent', ...env },
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The DER value of a proxyCertInfo with any policy language (to test unknown ones). */
export function proxyCertInfoValue(policyLanguage: string, pathLength?: number): Buffer {
  const parts = [];
  if (pathLength !== undefined) parts.push(encodeDer(DerTag.INTEGER, Buffer.from([pathLength])));
  parts.push(encodeDer(DerTag.SEQUENCE, encodeDer(DerTag.OID, encodeOid(policyLanguage))));
  return encodeDer(DerTag.SEQUENCE, Buffer.concat(parts));
}

export interface HandMadeProxy {
  /** The certificate named as issuer (its subject becomes the proxy's issuer). */
  readonly issuerCertPem: string;
  /** The key that actually signs; the issuer's unless a test wants otherwise. */
  readonly signingKey: KeyObject;
  /** Globus DN of the subject; defaults to the issuer's subject plus CN=<serial>. */
  readonly subjectDn?: string;
  readonly proxyCertInfo?: { value: Buffer; critical: boolean } | null;
  readonly extraExtensions?: readonly Record<string, unknown>[];
  readonly hours?: number;
}

/** A proxy built by hand, breaking whatever rule the options say. */
export async function handMadeProxy(options: HandMadeProxy): Promise<PemCredential> {
  const { publicKey, privateKey } = await generateRsaKeyPair(2048);
  const issuer = new X509Certificate(options.issuerCertPem);
  const issuerName = certificateNames(issuer.raw).subject;
  const cn = encodeDer(
    DerTag.SET,
    encodeDer(
      DerTag.SEQUENCE,
      Buffer.concat([
        encodeDer(DerTag.OID, encodeOid('2.5.4.3')),
        encodeDer(DerTag.PRINTABLE_STRING, Buffer.from('4242')),
      ]),
    ),
  );
  const subjectName = options.subjectDn
    ? undefined
    : encodeDer(DerTag.SEQUENCE, Buffer.concat([...derChildren(issuerName).map((r) => r.raw), cn]));
  const pci =
    options.proxyCertInfo === undefined
      ? { value: proxyCertInfoValue('1.3.6.1.5.5.7.21.1'), critical: true }
      : options.proxyCertInfo;
  const now = Date.now();
  const certPem = mintCertificate({
    subject: options.subjectDn ? globusDnToForgeAttributes(options.subjectDn) : [],
    ...(subjectName ? { subjectName } : {}),
    publicKey,
    signer: { certPem: options.issuerCertPem, privateKey: options.signingKey },
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (options.hours ?? 1) * 3_600_000),
    serialNumber: '1092',
    extensions: [
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
      ...(pci ? [{ id: PROXY_CERT_INFO_OID, critical: pci.critical, value: pci.value.toString('latin1') }] : []),
      ...(options.extraExtensions ?? []),
    ],
  });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export const keyOf = (credential: PemCredential): KeyObject => createPrivateKey(credential.keyPem);
export const x509 = (pem: string): X509Certificate => new X509Certificate(pem);
