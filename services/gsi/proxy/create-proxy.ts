/**
 * Makes RFC 3820 proxy certificates, as `grid-proxy-init -rfc` does: the subject is the
 * issuer's subject (its exact bytes) plus `CN=<serial in decimal>`; a critical proxyCertInfo
 * names the policy (inheritAll, limited or independent) and an optional path length; keyUsage
 * is digitalSignature + keyEncipherment (critical); there is no basicConstraints, so no CA.
 * Validity starts five minutes back (clock skew, as GCT does) and never runs past the issuer's.
 *
 * node-forge lays out the certificate; Node's crypto (OpenSSL) makes the key and signs, which
 * is what makes this as fast as GCT's C code.
 */
import {
  createPublicKey,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { certificateNames, globusSubjectOf } from '../certificate-names.ts';
import { DerTag, derChildren, encodeDer, encodeOid } from '../der.ts';
import { gsiError } from '../errors.ts';
import {
  CLOCK_SKEW_MS,
  generateRsaKeyPair,
  mintCertificate,
} from '../pki/mint-certificate.ts';
import { keyUsageOf } from '../trust/certificate-extensions.ts';
import {
  encodeProxyCertInfo,
  PROXY_CERT_INFO_OID,
  proxyKindOf,
  type ProxyPolicy,
} from './proxy-cert-info.ts';

/** GCT's default lifetime: 12 hours. */
export const DEFAULT_PROXY_LIFETIME_SECONDS = 12 * 60 * 60;
/** GCT's default key size. */
export const DEFAULT_PROXY_BITS = 2048;

/** What the caller passes to make or sign a proxy. */
export interface ProxyOptions {
  /** The certificate that signs: an end-entity certificate or a proxy, PEM. */
  readonly issuerCertPem: string;
  /** The issuer's private key, already unlocked. */
  readonly issuerKey: KeyObject;
  /** The certificates above the issuer, leaf side first (for a proxy issuer: its EEC …). */
  readonly issuerChainPems?: readonly string[];
  /** Requested lifetime; clipped to the issuer's. Defaults to 12 hours. */
  readonly lifetimeSeconds?: number;
  /** Defaults to inheritAll (an impersonation proxy). */
  readonly policy?: ProxyPolicy;
  /** pCPathLenConstraint: how many proxies may be made below this one; omitted = unlimited. */
  readonly pathLength?: number;
  /** The moment validity is counted from (tests make expired proxies with it). */
  readonly now?: Date;
}

/** Options for `createProxy`, which also makes the key pair. */
export interface CreateProxyOptions extends ProxyOptions {
  /** RSA modulus length; defaults to 2048. */
  readonly bits?: number;
  /**
   * A key pair already being made (on libuv's thread pool), used instead of making one: a
   * command can start the slow part before it reads the user's credentials.
   */
  readonly keyPair?: Promise<{ publicKey: KeyObject; privateKey: KeyObject }>;
}

/** A signed proxy certificate and the chain that goes with it. */
export interface SignedProxy {
  readonly certPem: string;
  /** The issuer's certificate and the issuer's own chain, leaf side first. */
  readonly chainPems: readonly string[];
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** True when the requested lifetime was cut short by the issuer's expiry. */
  readonly clipped: boolean;
}

/** A proxy together with its new, unencrypted private key (PKCS#8 PEM). */
export interface ProxyCredential extends SignedProxy {
  readonly keyPem: string;
}

/** A positive serial below 2^48: unique enough per issuer, short enough to read in a DN. */
function proxySerial(): bigint {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return BigInt(`0x${bytes.toString('hex')}`);
}

/** The issuer's subject `Name`, exactly as encoded, plus one RDN `CN=<value>`. */
function proxySubjectName(issuer: X509Certificate, commonName: string): Buffer {
  const issuerSubject = certificateNames(issuer.raw).subject;
  const cn = encodeDer(
    DerTag.SEQUENCE,
    Buffer.concat([
      encodeDer(DerTag.OID, encodeOid('2.5.4.3')),
      encodeDer(DerTag.PRINTABLE_STRING, Buffer.from(commonName, 'latin1')),
    ]),
  );
  const rdns = derChildren(issuerSubject).map((rdn) => rdn.raw);
  return encodeDer(DerTag.SEQUENCE, Buffer.concat([...rdns, encodeDer(DerTag.SET, cn)]));
}

/** Refuses an issuer that cannot sign proxies, before any work is done. */
function checkIssuer(issuer: X509Certificate, issuerKey: KeyObject, now: Date): void {
  const subject = globusSubjectOf(issuer);
  const details = { subject };
  if (issuer.ca) {
    throw gsiError(
      'GSI_PROXY_BAD_SIGNER',
      `"${subject}" is a CA certificate, and proxies are made from end-entity certificates or proxies`,
      details,
    );
  }
  const usage = keyUsageOf(issuer);
  if (usage && !usage.has('digitalSignature')) {
    throw gsiError(
      'GSI_PROXY_BAD_SIGNER',
      `the key usage of "${subject}" does not allow digital signatures, so it cannot sign a proxy`,
      details,
    );
  }
  const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  if (!spki(createPublicKey(issuerKey)).equals(spki(issuer.publicKey))) {
    throw gsiError(
      'GSI_KEY_MISMATCH',
      `the private key given is not the key of the certificate "${subject}"`,
      details,
    );
  }
  const notAfter = new Date(issuer.validTo);
  if (now >= notAfter) {
    throw gsiError('GSI_EXPIRED', `"${subject}" expired at ${notAfter.toISOString()}`, {
      subject,
      notAfter: notAfter.toISOString(),
    });
  }
  const kind = proxyKindOf(issuer);
  if (kind?.kind === 'rfc3820' && kind.info.pathLength === 0) {
    throw gsiError(
      'GSI_PROXY_PATH_LENGTH',
      `the proxy "${subject}" was made with path length 0: no proxy may be made from it`,
      details,
    );
  }
}

/**
 * Signs a proxy certificate for `publicKey` (made by whoever will hold the proxy: this process
 * for grid-proxy-init, the delegatee for delegation). Synchronous: only the signature is work.
 */
export function signProxy(publicKey: KeyObject, options: ProxyOptions): SignedProxy {
  const now = options.now ?? new Date();
  const issuer = new X509Certificate(options.issuerCertPem);
  checkIssuer(issuer, options.issuerKey, now);
  const lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_PROXY_LIFETIME_SECONDS;
  if (!(lifetimeSeconds > 0)) {
    throw new Error(`signProxy: lifetime must be positive, got ${lifetimeSeconds}`);
  }
  const issuerNotBefore = new Date(issuer.validFrom);
  const issuerNotAfter = new Date(issuer.validTo);
  const wanted = new Date(now.getTime() + lifetimeSeconds * 1000);
  const notAfter = wanted > issuerNotAfter ? issuerNotAfter : wanted;
  const skewed = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notBefore = skewed < issuerNotBefore ? issuerNotBefore : skewed;

  const serial = proxySerial();
  const certPem = mintCertificate({
    subject: [],
    subjectName: proxySubjectName(issuer, serial.toString(10)),
    publicKey,
    signer: { certPem: options.issuerCertPem, privateKey: options.issuerKey },
    notBefore,
    notAfter,
    serialNumber: serial.toString(16),
    extensions: [
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
      {
        id: PROXY_CERT_INFO_OID,
        critical: true,
        value: encodeProxyCertInfo(options.policy ?? 'inheritAll', options.pathLength).toString(
          'latin1',
        ),
      },
    ],
  });
  const made = new X509Certificate(certPem);
  return {
    certPem,
    chainPems: [options.issuerCertPem, ...(options.issuerChainPems ?? [])],
    subject: globusSubjectOf(made),
    notBefore: new Date(made.validFrom),
    notAfter: new Date(made.validTo),
    clipped: wanted > issuerNotAfter,
  };
}

/** Makes a key pair and a proxy for it: what grid-proxy-init does. */
export async function createProxy(options: CreateProxyOptions): Promise<ProxyCredential> {
  // Refuse a bad issuer before spending a key generation on it.
  const now = options.now ?? new Date();
  checkIssuer(new X509Certificate(options.issuerCertPem), options.issuerKey, now);
  const { publicKey, privateKey } = await (options.keyPair ?? generateRsaKeyPair(options.bits ?? DEFAULT_PROXY_BITS));
  const signed = signProxy(publicKey, { ...options, now });
  return { ...signed, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
