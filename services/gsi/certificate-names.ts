/**
 * Reading names out of DER certificates: the exact `Name` elements (for hashing and comparison)
 * and their attributes decoded from whatever string type the CA chose. Identities are always
 * derived from these bytes, never from printed text, so escaping quirks cannot change them.
 */
import type { X509Certificate } from 'node:crypto';
import { DerTag, decodeOid, derChild, derChildren, parseDer, type DerNode } from './der.ts';
import { attributeName, formatGlobusDn, type DnAttribute } from './dn.ts';

function decodeDirectoryString(node: DerNode): string {
  switch (node.tag) {
    case DerTag.UTF8_STRING:
      return node.contents.toString('utf8');
    case DerTag.BMP_STRING:
      return Buffer.from(node.contents).swap16().toString('utf16le');
    case DerTag.UNIVERSAL_STRING: {
      const cps: number[] = [];
      for (let i = 0; i + 3 < node.contents.length; i += 4) cps.push(node.contents.readUInt32BE(i));
      return String.fromCodePoint(...cps);
    }
    case DerTag.PRINTABLE_STRING:
    case DerTag.IA5_STRING:
    case DerTag.VISIBLE_STRING:
    case DerTag.NUMERIC_STRING:
    case DerTag.T61_STRING: // OpenSSL treats T61String as Latin-1; so do we.
      return node.contents.toString('latin1');
    default:
      return `#${node.raw.toString('hex')}`; // RFC 4514's form for values of other types
  }
}

/** The attributes of a DER `Name`, flattened in order. */
export function attributesFromNameDer(name: DerNode): DnAttribute[] {
  return derChildren(name).flatMap((rdn) =>
    derChildren(rdn).map((atv) => {
      const oid = decodeOid(derChild(atv, 0, 'attribute type').contents);
      return {
        type: attributeName(oid),
        oid,
        value: decodeDirectoryString(derChild(atv, 1, 'attribute value')),
      };
    }),
  );
}

/** The issuer and subject `Name` elements of a DER certificate, exactly as encoded. */
export function certificateNames(certDer: Buffer): { issuer: DerNode; subject: DerNode } {
  const fields = derChildren(derChild(parseDer(certDer), 0, 'tbsCertificate'));
  const base = fields[0]?.tag === 0xa0 ? 1 : 0; // v1 certificates have no [0] version field
  const issuer = fields[base + 2];
  const subject = fields[base + 4];
  if (!issuer || !subject) throw new Error('DER: certificate without issuer or subject');
  return { issuer, subject };
}

/** The Globus DN of a certificate's subject, read from its DER (never from printed text). */
export function globusSubjectOf(cert: X509Certificate): string {
  return formatGlobusDn(attributesFromNameDer(certificateNames(cert.raw).subject));
}

/** The Globus DN of a certificate's issuer. */
export function globusIssuerOf(cert: X509Certificate): string {
  return formatGlobusDn(attributesFromNameDer(certificateNames(cert.raw).issuer));
}
