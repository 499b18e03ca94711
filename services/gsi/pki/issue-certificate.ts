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

/** `host/<name>` or `<service>/<name>`: the last CN of a host (or service) certificate's subject. */
const HOST_COMMON_NAME = /^([a-z0-9][a-z0-9-]{0,62})\/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$/i;

/** The DNS name a host or service common name (`host/grid.example.org`) is for, or undefined. */
export function hostNameOfCommonName(commonName: string): string | undefined {
  const match = HOST_COMMON_NAME.exec(commonName);
  return match && match[2]!.length <= 253 ? match[2]!.toLowerCase() : undefined;
}

/**
 * A host certificate's extensions: TLS server and client authentication, and subjectAltName
 * with the DNS name (and IP addresses) clients connect to, which TLS checks instead of the CN.
 */
export function hostCertificateExtensions(hostname: string, ipAddresses: Iterable<string> = []): Record<string, unknown>[] {
  const ips = new Set(ipAddresses);
  if (hostname === 'localhost') {
    // Node 17+ resolves localhost to ::1 first, so both loopback addresses must verify.
    ips.add('127.0.0.1');
    ips.add('::1');
  }
  const altNames = [
    { type: 2, value: hostname }, // dNSName
    ...[...ips].map((ip) => {
      if (isIP(ip) === 0) throw new Error(`hostCertificateExtensions: "${ip}" is not an IP address`);
      return { type: 7, ip }; // iPAddress
    }),
  ];
  return [
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    { name: 'subjectAltName', altNames },
  ];
}

/** Issues a host certificate valid for TLS server and client authentication. */
export async function issueHostCertificate(
  ca: CertificateAuthority,
  options: IssueHostCertificateOptions,
): Promise<PemCredential> {
  return issue(
    ca,
    `/O=Grid/OU=Weft/CN=host/${options.hostname}`,
    options.days,
    options.keyBits,
    options.now,
    hostCertificateExtensions(options.hostname, options.ipAddresses),
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
