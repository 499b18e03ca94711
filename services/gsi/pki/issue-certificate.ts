/**
 * Issues end-entity certificates from a CA: host certificates for services (TLS server and
 * client) and user certificates for people (TLS client, and signing the proxies they make).
 */
import { createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { globusDnToForgeAttributes } from '../dn.ts';
import type { CertificateAuthority } from './certificate-authority.ts';
import {
  generateRsaKeyPair,
  mintCertificate,
  validityWindow,
  type PemCredential,
} from './mint-certificate.ts';

export interface IssueHostCertificateOptions {
  /** The DNS name clients connect to; the subject becomes `/O=Grid/OU=Weft/CN=host/<hostname>`. */
  readonly hostname: string;
  /** Extra subjectAltName IP addresses. */
  readonly ipAddresses?: readonly string[];
  readonly days: number;
  readonly keyBits?: number;
  readonly now?: Date;
}

export interface IssueUserCertificateOptions {
  /** Globus form, e.g. `/O=Grid/OU=Weft/CN=Dev User`. */
  readonly subjectDn: string;
  readonly days: number;
  readonly keyBits?: number;
  readonly now?: Date;
}

async function issue(
  ca: CertificateAuthority,
  subjectDn: string,
  days: number,
  keyBits: number | undefined,
  now: Date | undefined,
  extensions: Record<string, unknown>[],
): Promise<PemCredential> {
  const { publicKey, privateKey } = await generateRsaKeyPair(keyBits);
  const certPem = mintCertificate({
    subject: globusDnToForgeAttributes(subjectDn),
    publicKey,
    signer: { certPem: ca.certPem, privateKey: createPrivateKey(ca.keyPem) },
    ...validityWindow(days, now),
    extensions: extensions.some((e) => e.name === 'basicConstraints')
      ? extensions
      : [{ name: 'basicConstraints', critical: true, cA: false }, ...extensions],
  });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Issues a host certificate valid for TLS server and client authentication. */
export async function issueHostCertificate(
  ca: CertificateAuthority,
  options: IssueHostCertificateOptions,
): Promise<PemCredential> {
  const ips = new Set(options.ipAddresses ?? []);
  if (options.hostname === 'localhost') {
    // Node 17+ resolves localhost to ::1 first, so both loopback addresses must verify.
    ips.add('127.0.0.1');
    ips.add('::1');
  }
  const altNames = [
    { type: 2, value: options.hostname }, // dNSName
    ...[...ips].map((ip) => {
      if (isIP(ip) === 0) throw new Error(`issueHostCertificate: "${ip}" is not an IP address`);
      return { type: 7, ip }; // iPAddress
    }),
  ];
  return issue(
    ca,
    `/O=Grid/OU=Weft/CN=host/${options.hostname}`,
    options.days,
    options.keyBits,
    options.now,
    [
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  );
}

/**
 * A user certificate's extensions: TLS client authentication, and digitalSignature so the user
 * can sign RFC 3820 proxy certificates with it. (basicConstraints cA:false is added by `issue`.)
 */
export const USER_CERTIFICATE_EXTENSIONS: readonly Record<string, unknown>[] = [
  { name: 'basicConstraints', critical: true, cA: false },
  { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, dataEncipherment: true },
  { name: 'extKeyUsage', clientAuth: true },
];

/** Issues a user certificate (see USER_CERTIFICATE_EXTENSIONS). */
export async function issueUserCertificate(
  ca: CertificateAuthority,
  options: IssueUserCertificateOptions,
): Promise<PemCredential> {
  return issue(ca, options.subjectDn, options.days, options.keyBits, options.now, [...USER_CERTIFICATE_EXTENSIONS]);
}
