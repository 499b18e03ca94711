/**
 * What grid-proxy-info says about a credential: subject, issuer, identity, type, strength and
 * time left, in GCT's words (the type names are those of GCT's grid_proxy_info.c, so scripts
 * that match on them keep working).
 */
import type { X509Certificate } from 'node:crypto';
import { globusIssuerOf, globusSubjectOf } from '../certificate-names.ts';
import { isLimitedProxy, proxyKindOf, type ProxyKind } from './proxy-cert-info.ts';

export interface ProxyDescription {
  readonly subject: string;
  readonly issuer: string;
  /** The end entity behind the proxies. */
  readonly identity: string;
  /** GCT's type name, e.g. `RFC 3820 compliant impersonation proxy`. */
  readonly type: string;
  /** Key size in bits. */
  readonly strength: number;
  /** The earliest expiry in the chain: the credential is usable until then. */
  readonly notAfter: Date;
  /** Whole seconds until `notAfter` (negative once expired). */
  readonly timeLeftSeconds: number;
  readonly limited: boolean;
}

/** GCT's name for a certificate's kind. */
export function proxyTypeName(kind: ProxyKind | undefined, cert: X509Certificate): string {
  if (!kind) return cert.ca ? 'CA certificate' : 'end entity credential';
  switch (kind.kind) {
    case 'legacy':
      return kind.limited ? 'limited legacy globus proxy' : 'full legacy globus proxy';
    case 'draft':
      return 'Proxy draft (pre-RFC) compliant impersonation proxy';
    case 'rfc3820':
      switch (kind.info.policy) {
        case 'inheritAll':
          return 'RFC 3820 compliant impersonation proxy';
        case 'independent':
          return 'RFC 3820 compliant independent proxy';
        case 'limited':
          return 'RFC 3820 compliant limited proxy';
        default:
          return 'RFC 3820 compliant restricted proxy';
      }
  }
}

/** Describes a credential's certificates (leaf first), at `now`. Nothing is validated here. */
export function describeProxy(
  certs: readonly X509Certificate[],
  now: Date = new Date(),
): ProxyDescription {
  const leaf = certs[0];
  if (!leaf) throw new Error('describeProxy: no certificates');
  const kinds = certs.map((cert) => proxyKindOf(cert));
  const eec = certs.find((_, i) => kinds[i] === undefined);
  // Without its end-entity certificate, a proxy still names it: the last proxy's issuer.
  const identity = eec ? globusSubjectOf(eec) : globusIssuerOf(certs[certs.length - 1]!);
  const eecIndex = eec ? certs.indexOf(eec) : certs.length;
  const notAfter = new Date(Math.min(...certs.map((cert) => new Date(cert.validTo).getTime())));
  return {
    subject: globusSubjectOf(leaf),
    issuer: globusIssuerOf(leaf),
    identity,
    type: proxyTypeName(kinds[0], leaf),
    strength: leaf.publicKey.asymmetricKeyDetails?.modulusLength ?? 0,
    notAfter,
    timeLeftSeconds: Math.floor((notAfter.getTime() - now.getTime()) / 1000),
    limited: kinds.some((kind, i) => i < eecIndex && kind !== undefined && isLimitedProxy(kind)),
  };
}
