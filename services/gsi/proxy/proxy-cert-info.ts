/**
 * The RFC 3820 proxyCertInfo extension, and what kind of proxy (if any) a certificate is.
 *
 *   ProxyCertInfo ::= SEQUENCE {
 *     pCPathLenConstraint  INTEGER (0..MAX) OPTIONAL,
 *     proxyPolicy          ProxyPolicy }
 *   ProxyPolicy ::= SEQUENCE {
 *     policyLanguage       OBJECT IDENTIFIER,
 *     policy               OCTET STRING OPTIONAL }
 *
 * Besides RFC 3820 proxies, two older Globus kinds exist. Legacy (GSI-2) proxies carry no
 * extension at all: they are recognised by their last name component, `CN=proxy` or
 * `CN=limited proxy`, appended to their issuer's subject. Pre-RFC (GSI-3 draft) proxies carry
 * a proxyCertInfo under a Globus OID; they are recognised only so they can be refused by name.
 */
import type { X509Certificate } from 'node:crypto';
import { certificateNames } from '../certificate-names.ts';
import { DerTag, decodeOid, derChildren, encodeDer, encodeOid, parseDer } from '../der.ts';
import { canonicalNameEncoding } from '../pki/openssl-subject-hash.ts';
import { certificateExtensions } from '../trust/certificate-extensions.ts';

/** id-pe-proxyCertInfo (RFC 3820). */
export const PROXY_CERT_INFO_OID = '1.3.6.1.5.5.7.1.14';
/** The GSI-3 draft proxyCertInfo, used by Globus Toolkit 3 before RFC 3820. */
export const DRAFT_PROXY_CERT_INFO_OID = '1.3.6.1.4.1.3536.1.222';
/** commonName. */
const COMMON_NAME_OID = '2.5.4.3';

/** The policy languages Weft understands, by the names grid users know. */
export const PROXY_POLICY_OIDS = {
  /** id-ppl-inheritAll: every right of the issuer (an impersonation proxy). */
  inheritAll: '1.3.6.1.5.5.7.21.1',
  /** id-ppl-independent: none of the issuer's rights; only what is granted to the proxy itself. */
  independent: '1.3.6.1.5.5.7.21.2',
  /** Globus's limited-proxy language: the issuer's rights except starting jobs. */
  limited: '1.3.6.1.4.1.3536.1.1.1.9',
} as const;

export type ProxyPolicy = keyof typeof PROXY_POLICY_OIDS;

/** The contents of a proxyCertInfo extension. */
export interface ProxyCertInfo {
  /** How many proxies may follow below this one; `undefined` is unlimited. */
  readonly pathLength: number | undefined;
  readonly policyLanguage: string;
  /** The language by name, or `undefined` for one Weft does not understand (restricted). */
  readonly policy: ProxyPolicy | undefined;
  /** Whether the extension was marked critical, as RFC 3820 requires. */
  readonly critical: boolean;
}

/** What kind of proxy a certificate is, read from the certificate alone. */
export type ProxyKind =
  | { readonly kind: 'rfc3820'; readonly info: ProxyCertInfo }
  | { readonly kind: 'legacy'; readonly limited: boolean }
  | { readonly kind: 'draft' };

/** The policy name of a policy-language OID, if Weft knows it. */
export function policyOf(policyLanguage: string): ProxyPolicy | undefined {
  const entry = Object.entries(PROXY_POLICY_OIDS).find(([, oid]) => oid === policyLanguage);
  return entry?.[0] as ProxyPolicy | undefined;
}

/** The DER value (inside the extension's OCTET STRING) of a proxyCertInfo. */
export function encodeProxyCertInfo(policy: ProxyPolicy, pathLength?: number): Buffer {
  const parts: Buffer[] = [];
  if (pathLength !== undefined) {
    if (!Number.isInteger(pathLength) || pathLength < 0 || pathLength > 0x7fffffff) {
      throw new Error(`encodeProxyCertInfo: path length ${pathLength} is not a whole number >= 0`);
    }
    let hex = pathLength.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    let bytes = Buffer.from(hex, 'hex');
    if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    parts.push(encodeDer(DerTag.INTEGER, bytes));
  }
  const language = encodeDer(DerTag.OID, encodeOid(PROXY_POLICY_OIDS[policy]));
  parts.push(encodeDer(DerTag.SEQUENCE, language));
  return encodeDer(DerTag.SEQUENCE, Buffer.concat(parts));
}

/** Reads a proxyCertInfo value; a plain Error for malformed DER. */
export function decodeProxyCertInfo(value: Buffer, critical: boolean): ProxyCertInfo {
  const fields = derChildren(parseDer(value));
  let pathLength: number | undefined;
  let next = 0;
  if (fields[0]?.tag === DerTag.INTEGER) {
    pathLength = fields[0].contents.reduce((n, byte) => n * 256 + byte, 0);
    next = 1;
  }
  const policyNode = fields[next];
  if (!policyNode || policyNode.tag !== DerTag.SEQUENCE) {
    throw new Error('DER: proxyCertInfo without a proxyPolicy');
  }
  const languageNode = derChildren(policyNode)[0];
  if (!languageNode || languageNode.tag !== DerTag.OID) {
    throw new Error('DER: proxyPolicy without a policy language');
  }
  const policyLanguage = decodeOid(languageNode.contents);
  return { pathLength, policyLanguage, policy: policyOf(policyLanguage), critical };
}

/**
 * How a certificate's subject relates to its own issuer field: whether it is that name plus
 * exactly one single-valued CN (compared as OpenSSL compares names), and that CN's value.
 */
export function subjectExtendsIssuer(cert: X509Certificate): {
  readonly extends: boolean;
  readonly lastCommonName: string | undefined;
} {
  const { issuer, subject } = certificateNames(cert.raw);
  const rdns = derChildren(subject);
  const last = rdns[rdns.length - 1];
  const members = last ? derChildren(last) : [];
  const atv = members.length === 1 ? derChildren(members[0]!) : [];
  const isCn = atv[0]?.tag === DerTag.OID && decodeOid(atv[0].contents) === COMMON_NAME_OID;
  const lastCommonName = isCn ? atv[1]?.contents.toString('utf8') : undefined;
  if (!isCn || rdns.length < 2) return { extends: false, lastCommonName };
  const prefix = encodeDer(DerTag.SEQUENCE, Buffer.concat(rdns.slice(0, -1).map((r) => r.raw)));
  return {
    extends: canonicalNameEncoding(prefix).equals(canonicalNameEncoding(issuer)),
    lastCommonName,
  };
}

const LEGACY_NAMES: Readonly<Record<string, boolean>> = { proxy: false, 'limited proxy': true };

/** What kind of proxy `cert` is, or `undefined` for an ordinary (end-entity or CA) certificate. */
export function proxyKindOf(cert: X509Certificate): ProxyKind | undefined {
  for (const ext of certificateExtensions(cert)) {
    if (ext.oid === PROXY_CERT_INFO_OID) {
      return { kind: 'rfc3820', info: decodeProxyCertInfo(ext.value, ext.critical) };
    }
    if (ext.oid === DRAFT_PROXY_CERT_INFO_OID) return { kind: 'draft' };
  }
  if (cert.ca) return undefined;
  const { extends: extendsIssuer, lastCommonName } = subjectExtendsIssuer(cert);
  if (extendsIssuer && lastCommonName !== undefined && lastCommonName in LEGACY_NAMES) {
    return { kind: 'legacy', limited: LEGACY_NAMES[lastCommonName]! };
  }
  return undefined;
}

/** Whether a proxy of this kind carries only limited rights (it may not start jobs). */
export function isLimitedProxy(kind: ProxyKind): boolean {
  if (kind.kind === 'legacy') return kind.limited;
  return kind.kind === 'rfc3820' && kind.info.policy === 'limited';
}
