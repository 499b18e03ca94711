/**
 * Builds a CA's X.509 v2 CRL (RFC 5280 section 5). node-forge has no CRL support, so the
 * TBSCertList is laid out with forge's ASN.1 helpers and signed with Node's crypto, the same
 * way certificates are. A trust directory carries one as `<hash>.r0`; Globus and OpenSSL
 * (`-crl_check`) refuse certificates when a CRL lists them or when the CRL has expired.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { derToPem } from '../der.ts';
import { certificateNames } from '../certificate-names.ts';
import type { CertificateAuthority } from './certificate-authority.ts';
import {
  CLOCK_SKEW_MS,
  SHA256_WITH_RSA_OID,
  positiveIntegerBytes,
  signToBeSigned,
  subjectKeyIdentifier,
} from './mint-certificate.ts';

/** One revoked certificate. */
export interface RevokedCertificate {
  /** Hex, as Node's `X509Certificate.serialNumber` prints it. */
  readonly serialNumber: string;
  readonly revokedAt: Date;
}

export interface CreateRevocationListOptions {
  readonly revoked?: readonly RevokedCertificate[];
  /** Days until nextUpdate, after which relying parties treat the CRL as stale. */
  readonly days: number;
  readonly now?: Date;
  /** The cRLNumber; defaults to the current time in seconds, which only ever grows. */
  readonly crlNumber?: bigint;
}

const { asn1 } = forge;
const { Class, Type } = asn1;

const node = (type: forge.asn1.Type, value: string | forge.asn1.Asn1[]): forge.asn1.Asn1 =>
  asn1.create(Class.UNIVERSAL, type, Array.isArray(value), value);
const bytes = (buf: Buffer): string => buf.toString('latin1');

function time(date: Date): forge.asn1.Asn1 {
  // RFC 5280 5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050.
  return date.getUTCFullYear() < 2050
    ? node(Type.UTCTIME, asn1.dateToUtcTime(date))
    : node(Type.GENERALIZEDTIME, asn1.dateToGeneralizedTime(date));
}

function extension(oid: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return node(Type.SEQUENCE, [
    node(Type.OID, asn1.oidToDer(oid).getBytes()),
    node(Type.OCTETSTRING, asn1.toDer(value).getBytes()),
  ]);
}

/** Builds and signs a CRL for `ca`, returned as PEM (`-----BEGIN X509 CRL-----`). */
export function createRevocationList(
  ca: CertificateAuthority,
  options: CreateRevocationListOptions,
): string {
  const now = options.now ?? new Date();
  const thisUpdate = new Date(now.getTime() - CLOCK_SKEW_MS);
  const nextUpdate = new Date(now.getTime() + options.days * 24 * 60 * 60 * 1000);
  const issuerName = certificateNames(new X509Certificate(ca.certPem).raw).subject.raw;
  const crlNumber = options.crlNumber ?? BigInt(Math.floor(now.getTime() / 1000));
  const revoked = options.revoked ?? [];

  const fields: forge.asn1.Asn1[] = [
    node(Type.INTEGER, bytes(positiveIntegerBytes('1'))), // version v2
    node(Type.SEQUENCE, [
      node(Type.OID, asn1.oidToDer(SHA256_WITH_RSA_OID).getBytes()),
      node(Type.NULL, ''),
    ]),
    asn1.fromDer(bytes(issuerName)), // the CA's subject, byte for byte
    time(thisUpdate),
    time(nextUpdate),
  ];
  if (revoked.length > 0) {
    // An empty revokedCertificates SEQUENCE is not allowed; it is left out instead.
    fields.push(
      node(
        Type.SEQUENCE,
        revoked.map((r) =>
          node(Type.SEQUENCE, [
            node(Type.INTEGER, bytes(positiveIntegerBytes(r.serialNumber))),
            time(r.revokedAt),
          ]),
        ),
      ),
    );
  }
  const keyIdentifier = forge.util.hexToBytes(subjectKeyIdentifier(ca.certPem));
  fields.push(
    asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [
      node(Type.SEQUENCE, [
        extension(
          '2.5.29.35',
          node(Type.SEQUENCE, [asn1.create(Class.CONTEXT_SPECIFIC, 0, false, keyIdentifier)]),
        ),
        extension(
          '2.5.29.20',
          node(Type.INTEGER, bytes(positiveIntegerBytes(crlNumber.toString(16)))),
        ),
      ]),
    ]),
  );

  const tbsDer = Buffer.from(asn1.toDer(node(Type.SEQUENCE, fields)).getBytes(), 'latin1');
  return derToPem(signToBeSigned(tbsDer, createPrivateKey(ca.keyPem)), 'X509 CRL');
}
