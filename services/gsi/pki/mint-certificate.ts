/**
 * Builds and signs one X.509 v3 certificate: node-forge lays out the TBSCertificate, Node's
 * crypto makes the key and the signature. Forge's pure-JS RSA manages ~50 signatures a second;
 * OpenSSL underneath Node manages thousands, which is what lets tests and `ensureDevPki` mint
 * certificates freely. Only RSA keys and sha256WithRSAEncryption are produced.
 */
import { generateKeyPair, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { DerTag, derToPem, encodeDer } from '../der.ts';
import { certificateNames } from '../certificate-names.ts';

/** sha256WithRSAEncryption (RFC 4055). */
export const SHA256_WITH_RSA_OID = '1.2.840.113549.1.1.11';

/** DER AlgorithmIdentifier { sha256WithRSAEncryption, NULL }. */
const SHA256_WITH_RSA_ALGORITHM = Buffer.from('300d06092a864886f70d01010b0500', 'hex');

/** Who signs: the issuing CA, or (no `certPem`) the subject itself. */
export interface CertificateSigner {
  /** The issuer's certificate; omit for a self-signed certificate. */
  readonly certPem?: string;
  readonly privateKey: KeyObject;
}

export interface MintCertificateOptions {
  /** Subject attributes in order (see `globusDnToForgeAttributes`). */
  readonly subject: readonly forge.pki.CertificateField[];
  /**
   * The subject as an exact DER `Name`, used instead of `subject`: a proxy's subject must be
   * its issuer's, byte for byte, plus one CN, whatever string types the issuer's CA chose.
   */
  readonly subjectName?: Buffer;
  readonly publicKey: KeyObject;
  readonly signer: CertificateSigner;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /**
   * node-forge extension descriptors, e.g. `{ name: 'basicConstraints', critical: true, cA: true }`.
   * subjectKeyIdentifier and authorityKeyIdentifier are added unless given, because chain
   * building (OpenSSL's and ours) matches them.
   */
  readonly extensions: readonly Record<string, unknown>[];
  /** Hex; defaults to 16 random bytes, positive, as RFC 5280 and the CA/B forum ask. */
  readonly serialNumber?: string;
}

/** A certificate and its private key, both PEM; the key is unencrypted PKCS#8. */
export interface PemCredential {
  readonly certPem: string;
  readonly keyPem: string;
}

/** How far back `validityWindow` starts, so a peer whose clock runs a little slow accepts it. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** notBefore/notAfter for a certificate valid `days` days from `now`, backdated for skew. */
export function validityWindow(
  days: number,
  now = new Date(),
): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + days * 24 * 60 * 60 * 1000),
  };
}

/** A fresh RSA key pair, made on libuv's thread pool so several can be made at once. */
export async function generateRsaKeyPair(
  modulusLength = 2048,
): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return promisify(generateKeyPair)('rsa', { modulusLength });
}

/** 16 random bytes as hex, first byte 0x01..0x7f so the DER INTEGER is positive and minimal. */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return bytes.toString('hex');
}

/** The contents of a minimal, positive DER INTEGER for a hex number. */
export function positiveIntegerBytes(hex: string): Buffer {
  let digits = BigInt(`0x${hex || '0'}`).toString(16);
  if (digits.length % 2 === 1) digits = `0${digits}`;
  const bytes = Buffer.from(digits, 'hex');
  // A set top bit would read as negative: DER needs a leading zero byte then.
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/**
 * Signs a DER to-be-signed structure (TBSCertificate or TBSCertList) with an RSA key and wraps
 * it as `SEQUENCE { tbs, sha256WithRSAEncryption, BIT STRING signature }`.
 */
export function signToBeSigned(tbsDer: Buffer, privateKey: KeyObject): Buffer {
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new Error(
      `signToBeSigned: only RSA keys are supported, got ${privateKey.asymmetricKeyType}`,
    );
  }
  const signature = sign('sha256', tbsDer, privateKey); // PKCS#1 v1.5 for RSA keys
  const bitString = encodeDer(DerTag.BIT_STRING, Buffer.concat([Buffer.from([0]), signature]));
  return encodeDer(DerTag.SEQUENCE, Buffer.concat([tbsDer, SHA256_WITH_RSA_ALGORITHM, bitString]));
}

/** The subjectKeyIdentifier a certificate carries, or the RFC 5280 SHA-1 one of its key. */
export function subjectKeyIdentifier(certPem: string): string {
  const cert = forge.pki.certificateFromPem(certPem);
  const ext = cert.getExtension('subjectKeyIdentifier') as
    { subjectKeyIdentifier?: string } | undefined;
  return ext?.subjectKeyIdentifier ?? cert.generateSubjectKeyIdentifier().toHex();
}

const toBinary = (buf: Buffer): string => buf.toString('latin1');
const fromBinary = (bytes: string): Buffer => Buffer.from(bytes, 'latin1');

/** Builds, signs and returns one certificate as PEM. */
export function mintCertificate(options: MintCertificateOptions): string {
  const { signer } = options;
  const cert = forge.pki.createCertificate();
  cert.version = 2; // v3
  cert.serialNumber = positiveIntegerBytes(options.serialNumber ?? randomSerialNumber()).toString(
    'hex',
  );
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  cert.publicKey = forge.pki.publicKeyFromPem(
    options.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  cert.setSubject([...options.subject]);
  cert.setIssuer([...options.subject]); // replaced below by the issuer's exact bytes
  cert.siginfo.algorithmOid = SHA256_WITH_RSA_OID;

  const names = new Set(options.extensions.map((e) => e['name']));
  const extensions = [...options.extensions];
  if (!names.has('subjectKeyIdentifier')) extensions.push({ name: 'subjectKeyIdentifier' });
  if (!names.has('authorityKeyIdentifier')) {
    const keyIdentifier = signer.certPem
      ? forge.util.hexToBytes(subjectKeyIdentifier(signer.certPem))
      : true; // self-signed: forge uses the subject's own key identifier
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier });
  }
  cert.setExtensions(extensions);

  const tbs = (
    forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
  ).getTBSCertificate(cert);
  if (signer.certPem) {
    // Copy the issuer's subject byte for byte, so that whatever string types its CA chose,
    // issuer and subject compare equal under every implementation's name matching.
    const issuerName = certificateNames(new X509Certificate(signer.certPem).raw).subject.raw;
    (tbs.value as forge.asn1.Asn1[])[3] = forge.asn1.fromDer(toBinary(issuerName));
  }
  if (options.subjectName) {
    (tbs.value as forge.asn1.Asn1[])[5] = forge.asn1.fromDer(toBinary(options.subjectName));
  }
  const tbsDer = fromBinary(forge.asn1.toDer(tbs).getBytes());
  return derToPem(signToBeSigned(tbsDer, signer.privateKey), 'CERTIFICATE');
}
