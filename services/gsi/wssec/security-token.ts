/**
 * The certificates a BinarySecurityToken carries. A lone certificate travels as X509v3 (what
 * zeep and most stacks send); a chain with proxies as X509PKIPathv1, the token profile's way to
 * carry a path (a proxy alone cannot be validated without its end-entity certificate).
 */
import { X509Certificate } from 'node:crypto';
import { derChildren, encodeDer, DerTag, parseDer, pemBlocks } from '../der.ts';
import { PKIPATH_TOKEN, X509V3_TOKEN } from './namespaces.ts';

export interface EncodedToken {
  readonly valueType: string;
  readonly base64: string;
}

/** Certificates in PEM (leaf first, CA left out) as a token value. */
export function encodeToken(chainPems: readonly string[]): EncodedToken {
  const ders = chainPems.flatMap((pem) =>
    pemBlocks(pem)
      .filter((block) => block.label === 'CERTIFICATE')
      .map((block) => block.der),
  );
  if (ders.length === 0) throw new Error('encodeToken: no certificate given');
  if (ders.length === 1) return { valueType: X509V3_TOKEN, base64: ders[0]!.toString('base64') };
  // PkiPath order is the reverse of TLS order: the most trusted certificate first.
  const path = encodeDer(DerTag.SEQUENCE, Buffer.concat([...ders].reverse()));
  return { valueType: PKIPATH_TOKEN, base64: path.toString('base64') };
}

/** The token's certificates leaf first, or undefined when its type or content is not understood. */
export function decodeToken(valueType: string, base64: string): X509Certificate[] | undefined {
  try {
    const der = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
    if (valueType === X509V3_TOKEN || valueType === '') return [new X509Certificate(der)];
    if (valueType === PKIPATH_TOKEN) {
      const certs = derChildren(parseDer(der)).map((child) => new X509Certificate(child.raw));
      return certs.length === 0 ? undefined : certs.reverse();
    }
    return undefined;
  } catch {
    return undefined;
  }
}
