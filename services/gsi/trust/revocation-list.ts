/**
 * Reads an X.509 v2 CRL (RFC 5280 section 5) and checks its signature. Node has no CRL API;
 * the exact TBSCertList bytes are taken from the DER so the signature check is over what the
 * CA signed, not over a re-encoding.
 */
import { verify, type X509Certificate } from 'node:crypto';
import { formatGlobusDn } from '../dn.ts';
import { attributesFromNameDer } from '../certificate-names.ts';
import {
  DerTag,
  decodeOid,
  decodeTime,
  derChild,
  derChildren,
  integerToHex,
  parseDer,
  pemBlocks,
} from '../der.ts';
import { canonicalNameEncoding, opensslNameHash } from '../pki/openssl-subject-hash.ts';

/** A parsed CRL. Its signature is not yet checked: see `isRevocationListSignedBy`. */
export interface RevocationList {
  /** Where it came from (a file path), for messages. */
  readonly source: string;
  readonly issuerDn: string;
  /** OpenSSL's canonical issuer-name encoding, for matching against CA subjects. */
  readonly issuerName: Buffer;
  readonly issuerHash: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** Serial numbers in Node's `X509Certificate.serialNumber` form (upper-case hex). */
  readonly revokedSerials: ReadonlySet<string>;
  readonly toBeSigned: Buffer;
  readonly signatureAlgorithm: string;
  readonly signature: Buffer;
}

/** Signature algorithm OID to digest; Node picks PKCS#1 v1.5 or ECDSA from the key type. */
const DIGESTS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const isTime = (tag: number | undefined): boolean =>
  tag === DerTag.UTC_TIME || tag === DerTag.GENERALIZED_TIME;

/** Parses a PEM (`X509 CRL`) or DER CRL; throws a plain Error when it is malformed. */
export function parseRevocationList(data: string | Buffer, source: string): RevocationList {
  let der: Buffer;
  if (typeof data === 'string' || data.subarray(0, 5).toString('latin1') === '-----') {
    const block = pemBlocks(data.toString()).find((b) => b.label === 'X509 CRL');
    if (!block) throw new Error(`${source} holds no "X509 CRL" PEM block`);
    der = block.der;
  } else {
    der = data;
  }
  const outer = parseDer(der);
  const tbs = derChild(outer, 0, 'tbsCertList');
  const outerAlgorithm = derChild(outer, 1, 'signatureAlgorithm');
  const bitString = derChild(outer, 2, 'signature');
  const fields = derChildren(tbs);
  let i = fields[0]?.tag === DerTag.INTEGER ? 1 : 0; // version is optional (v1 CRLs)
  const innerAlgorithm = fields[i++];
  const issuer = fields[i++];
  const thisUpdate = fields[i++];
  if (!innerAlgorithm || !issuer || !thisUpdate) throw new Error(`${source} is not a complete CRL`);
  if (!innerAlgorithm.raw.equals(outerAlgorithm.raw)) {
    throw new Error(`${source} names two different signature algorithms`);
  }
  const nextUpdate = isTime(fields[i]?.tag) ? fields[i++] : undefined;
  const revoked = fields[i]?.tag === DerTag.SEQUENCE ? fields[i++] : undefined;
  const revokedSerials = new Set(
    (revoked ? derChildren(revoked) : []).map((entry) =>
      integerToHex(derChild(entry, 0, 'revoked serial number').contents),
    ),
  );
  if (bitString.tag !== DerTag.BIT_STRING || bitString.contents[0] !== 0) {
    throw new Error(`${source} has a malformed signature`);
  }
  return {
    source,
    issuerDn: formatGlobusDn(attributesFromNameDer(issuer)),
    issuerName: canonicalNameEncoding(issuer),
    issuerHash: opensslNameHash(issuer),
    thisUpdate: decodeTime(thisUpdate),
    nextUpdate: nextUpdate ? decodeTime(nextUpdate) : undefined,
    revokedSerials,
    toBeSigned: tbs.raw,
    signatureAlgorithm: decodeOid(derChild(outerAlgorithm, 0, 'algorithm').contents),
    signature: bitString.contents.subarray(1),
  };
}

/** Whether `issuer`'s key made the CRL's signature. Unknown algorithms (e.g. RSA-PSS) fail. */
export function isRevocationListSignedBy(crl: RevocationList, issuer: X509Certificate): boolean {
  const digest = DIGESTS[crl.signatureAlgorithm];
  if (digest === undefined) return false;
  try {
    return verify(digest, crl.toBeSigned, issuer.publicKey, crl.signature);
  } catch {
    return false; // a key type that does not fit the algorithm
  }
}

/** Normalises a serial number to the form `revokedSerials` uses. */
export function normaliseSerial(serial: string): string {
  const hex = serial
    .replace(/[^0-9a-fA-F]/g, '')
    .toUpperCase()
    .replace(/^0+/, '');
  return hex === '' ? '0' : hex;
}
