/**
 * Reads a certificate's extensions from its DER. Node's X509Certificate exposes `ca` but not
 * the basicConstraints path length (nor, later, the RFC 3820 proxyCertInfo), so the few
 * extensions chain validation needs are decoded here.
 */
import type { X509Certificate } from 'node:crypto';
import { DerTag, decodeOid, derChild, derChildren, parseDer } from '../der.ts';

/** One extension: its OID, criticality and the DER inside its OCTET STRING. */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Buffer;
}

/** basicConstraints (RFC 5280 4.2.1.9). */
export const BASIC_CONSTRAINTS_OID = '2.5.29.19';

/** Every extension of a certificate, in order (empty for v1 certificates). */
export function certificateExtensions(cert: X509Certificate): CertificateExtension[] {
  const tbs = derChild(parseDer(cert.raw), 0, 'tbsCertificate');
  const wrapper = derChildren(tbs).find((field) => field.tag === 0xa3); // [3] EXPLICIT
  if (!wrapper) return [];
  return derChildren(derChild(wrapper, 0, 'extensions')).map((ext) => {
    const parts = derChildren(ext);
    const critical = parts[1]?.tag === DerTag.BOOLEAN && parts[1].contents[0] !== 0;
    const value = parts[parts.length - 1];
    if (!value || value.tag !== DerTag.OCTET_STRING) throw new Error('DER: malformed extension');
    return { oid: decodeOid(derChild(ext, 0, 'extnID').contents), critical, value: value.contents };
  });
}

/**
 * The basicConstraints pathLenConstraint: how many CA certificates may follow this one below
 * it in a path. `undefined` when absent (unlimited) or when the certificate is not a CA.
 */
export function pathLengthConstraint(cert: X509Certificate): number | undefined {
  const ext = certificateExtensions(cert).find((e) => e.oid === BASIC_CONSTRAINTS_OID);
  if (!ext) return undefined;
  const pathLen = derChildren(parseDer(ext.value)).find((f) => f.tag === DerTag.INTEGER);
  return pathLen ? pathLen.contents.reduce((n, byte) => n * 256 + byte, 0) : undefined;
}

/** keyUsage (RFC 5280 4.2.1.3). */
export const KEY_USAGE_OID = '2.5.29.15';

/** The keyUsage bits, in their RFC 5280 order (bit 0 first). */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export type KeyUsageBit = (typeof KEY_USAGE_BITS)[number];

/**
 * The keyUsage bits a certificate asserts, or `undefined` when it has no keyUsage extension
 * (which RFC 5280 reads as "any use"). Node's `X509Certificate.keyUsage` is the *extended* key
 * usage, so the plain one is decoded here.
 */
export function keyUsageOf(cert: X509Certificate): ReadonlySet<KeyUsageBit> | undefined {
  const ext = certificateExtensions(cert).find((e) => e.oid === KEY_USAGE_OID);
  if (!ext) return undefined;
  const bits = parseDer(ext.value);
  if (bits.tag !== DerTag.BIT_STRING) throw new Error('DER: keyUsage is not a BIT STRING');
  const asserted = new Set<KeyUsageBit>();
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bits.contents[1 + (i >> 3)] ?? 0; // contents[0] counts the unused bits
    if (byte & (0x80 >> (i & 7))) asserted.add(name);
  });
  return asserted;
}

/**
 * Whether basicConstraints asserts cA, read from the DER. Node's `X509Certificate.ca` is false
 * for any certificate OpenSSL deems inconsistent (a proxy claiming to be a CA is one), so it
 * cannot be asked whether such a certificate *claims* to be a CA.
 */
export function claimsToBeCa(cert: X509Certificate): boolean {
  const ext = certificateExtensions(cert).find((e) => e.oid === BASIC_CONSTRAINTS_OID);
  if (!ext) return false;
  const first = derChildren(parseDer(ext.value))[0];
  return first?.tag === DerTag.BOOLEAN && first.contents[0] !== 0;
}
