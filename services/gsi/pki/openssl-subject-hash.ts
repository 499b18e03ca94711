/**
 * OpenSSL's `X509_NAME_hash` (the SHA-1 one behind `openssl x509 -hash`, `c_rehash` and the
 * `<hash>.0` / `<hash>.r0` names of a Globus trusted-certificates directory), computed natively.
 *
 * OpenSSL hashes a canonical encoding of the name (crypto/x509/x_name.c, x509_name_canon):
 * every string value of a common directory-string type is converted to UTF-8, stripped of
 * leading and trailing ASCII whitespace, runs of inner whitespace collapsed to one space, and
 * ASCII letters lower-cased; it is re-encoded as a UTF8String. Each RDN is encoded as a DER SET
 * (members sorted), and the RDN encodings are concatenated WITHOUT the outer SEQUENCE. The hash
 * is the first four bytes of SHA-1 over that, read as a little-endian 32-bit number.
 * Two names that OpenSSL treats as equal (`X509_NAME_cmp`) have equal canonical encodings.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { DerTag, derChild, derChildren, encodeDer, parseDer, type DerNode } from '../der.ts';
import { certificateNames } from '../certificate-names.ts';

/** The string types OpenSSL canonicalises (ASN1_MASK_CANON); others are hashed as they are. */
const CANONICAL_TYPES = new Set<number>([
  DerTag.UTF8_STRING,
  DerTag.BMP_STRING,
  DerTag.UNIVERSAL_STRING,
  DerTag.PRINTABLE_STRING,
  DerTag.T61_STRING,
  DerTag.IA5_STRING,
  DerTag.VISIBLE_STRING,
]);

function toUtf8(value: DerNode): Buffer {
  switch (value.tag) {
    case DerTag.UTF8_STRING:
      return value.contents;
    case DerTag.BMP_STRING:
      return Buffer.from(Buffer.from(value.contents).swap16().toString('utf16le'), 'utf8');
    case DerTag.UNIVERSAL_STRING: {
      const cps: number[] = [];
      for (let i = 0; i + 3 < value.contents.length; i += 4)
        cps.push(value.contents.readUInt32BE(i));
      return Buffer.from(String.fromCodePoint(...cps), 'utf8');
    }
    default:
      // PrintableString, IA5String, VisibleString and T61String: one byte per character,
      // which OpenSSL's ASN1_STRING_to_UTF8 reads as Latin-1.
      return Buffer.from(value.contents.toString('latin1'), 'utf8');
  }
}

/** ossl_isspace: space, \t, \n, \v, \f, \r. */
const isSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);

function canonicalValue(value: DerNode): Buffer {
  if (!CANONICAL_TYPES.has(value.tag)) return value.raw;
  const bytes = toUtf8(value);
  let start = 0;
  let end = bytes.length;
  while (start < end && isSpace(bytes[start] ?? 0)) start += 1;
  while (end > start && isSpace(bytes[end - 1] ?? 0)) end -= 1;
  const out: number[] = [];
  for (let i = start; i < end; i += 1) {
    const b = bytes[i] ?? 0;
    if (b >= 0x80) {
      out.push(b); // non-ASCII bytes are copied untouched, not case-folded
    } else if (isSpace(b)) {
      out.push(0x20);
      while (i + 1 < end && isSpace(bytes[i + 1] ?? 0)) i += 1;
    } else {
      out.push(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
    }
  }
  return encodeDer(DerTag.UTF8_STRING, Buffer.from(out));
}

/**
 * The canonical encoding of a DER `Name`. Equal buffers mean OpenSSL considers the names equal,
 * which is how issuer names are matched against trusted CAs.
 */
export function canonicalNameEncoding(name: DerNode | Buffer): Buffer {
  const node = Buffer.isBuffer(name) ? parseDer(name) : name;
  return Buffer.concat(
    derChildren(node).map((rdn) => {
      const members = derChildren(rdn).map((atv) =>
        encodeDer(
          DerTag.SEQUENCE,
          Buffer.concat([
            derChild(atv, 0, 'attribute type').raw,
            canonicalValue(derChild(atv, 1, 'attribute value')),
          ]),
        ),
      );
      // DER orders the members of a SET OF by their encodings (Buffer.compare is that order).
      members.sort(Buffer.compare);
      return encodeDer(DerTag.SET, Buffer.concat(members));
    }),
  );
}

/** `X509_NAME_hash_ex` of a DER `Name`, as 8 lower-case hex digits (the file-name stem). */
export function opensslNameHash(name: DerNode | Buffer): string {
  const digest = createHash('sha1').update(canonicalNameEncoding(name)).digest();
  return digest.readUInt32LE(0).toString(16).padStart(8, '0');
}

function asCertificate(cert: X509Certificate | string | Buffer): X509Certificate {
  return cert instanceof X509Certificate ? cert : new X509Certificate(cert);
}

/** What `openssl x509 -hash -noout` prints for this certificate (PEM, DER or parsed). */
export function opensslSubjectHash(cert: X509Certificate | string | Buffer): string {
  return opensslNameHash(certificateNames(asCertificate(cert).raw).subject);
}

/** What `openssl x509 -issuer_hash -noout` prints: where to look for the issuing CA. */
export function opensslIssuerHash(cert: X509Certificate | string | Buffer): string {
  return opensslNameHash(certificateNames(asCertificate(cert).raw).issuer);
}
