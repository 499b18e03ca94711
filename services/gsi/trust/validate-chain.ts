/**
 * Strict certificate-path validation for GSI. Node's TLS cannot validate grid chains (it knows
 * nothing of proxies, of the hashed trust directory or of its CRLs), so the TLS layer asks for
 * the peer's chain and this decides.
 *
 * Checks, in the order a person would want to hear about them: who vouches for each link
 * (names, CA flag, signature, key usage; for RFC 3820 and legacy Globus proxies the proxy rules
 * of ../proxy/check-proxy-link.ts), that the chain ends at a trusted CA, then path lengths (of
 * proxies and of CAs), validity times of every certificate, then revocation against the CRLs in
 * the trust directory.
 *
 * A chain is `proxy… → end-entity certificate (EEC) → intermediate CAs… → trusted CA`, leaf
 * first. The caller is the EEC's subject, unless an independent proxy stands between: such a
 * proxy inherits none of its issuer's rights (RFC 3820 3.8), so the caller is then that
 * proxy's own subject, which no grid-mapfile names unless a site chose to.
 * "Validity nested" is enforced at the moment of the call: every link must be valid then, so a
 * proxy that outlives its issuer is usable only while the issuer is.
 */
import type { X509Certificate } from 'node:crypto';
import { certificateNames, globusIssuerOf, globusSubjectOf } from '../certificate-names.ts';
import { gsiError } from '../errors.ts';
import { canonicalNameEncoding } from '../pki/openssl-subject-hash.ts';
import { checkProxyLink } from '../proxy/check-proxy-link.ts';
import { isLimitedProxy, proxyKindOf, type ProxyKind } from '../proxy/proxy-cert-info.ts';
import { pathLengthConstraint } from './certificate-extensions.ts';
import { normaliseSerial } from './revocation-list.ts';
import type { TrustStore } from './trust-store.ts';

/** The outcome of a successful validation. */
export interface ValidatedChain {
  /**
   * The Globus DN the caller acts as: the end-entity certificate's subject, behind any proxies
   * (or an independent proxy's own subject, see the file comment).
   */
  readonly identity: string;
  /** The end-entity certificate's subject: whose credential this is. */
  readonly endEntity: string;
  /** Subjects from the leaf up to and including the trust anchor, in Globus form. */
  readonly chainSubjects: readonly string[];
  /** Whether any proxy in the chain is limited: such a caller may not start jobs. */
  readonly limited: boolean;
  /** How many proxies stand before the end-entity certificate (0 for a plain certificate). */
  readonly proxyDepth: number;
}

const dn = (cert: X509Certificate): string => globusSubjectOf(cert);

function issuerNameMatches(child: X509Certificate, parent: X509Certificate): boolean {
  const issuer = canonicalNameEncoding(certificateNames(child.raw).issuer);
  return issuer.equals(canonicalNameEncoding(certificateNames(parent.raw).subject));
}

function isSelfSigned(cert: X509Certificate): boolean {
  return issuerNameMatches(cert, cert) && cert.verify(cert.publicKey);
}

function checkOrder(child: X509Certificate, parent: X509Certificate): void {
  if (!issuerNameMatches(child, parent)) {
    throw gsiError(
      'GSI_BAD_CHAIN_ORDER',
      `"${dn(child)}" names "${globusIssuerOf(child)}" as its issuer, but the next certificate in the chain is "${dn(parent)}"`,
      { subject: dn(child), issuer: dn(parent) },
    );
  }
}

/** One link: `parent` must be a CA entitled to sign and must have signed `child`. */
function checkLink(child: X509Certificate, parent: X509Certificate): void {
  const details = { subject: dn(child), issuer: dn(parent) };
  checkOrder(child, parent);
  if (!parent.ca) {
    throw gsiError(
      'GSI_NOT_A_CA',
      `"${dn(parent)}" signed "${dn(child)}" but is not a CA certificate`,
      details,
    );
  }
  if (!child.verify(parent.publicKey)) {
    throw gsiError(
      'GSI_BAD_SIGNATURE',
      `the signature on "${dn(child)}" does not verify with the key of "${dn(parent)}"`,
      details,
    );
  }
  // OpenSSL's X509_check_issued: key identifiers agree and keyUsage allows keyCertSign.
  if (!child.checkIssued(parent)) {
    throw gsiError(
      'GSI_NOT_A_CA',
      `"${dn(parent)}" may not sign certificates (its key usage or key identifier does not fit "${dn(child)}")`,
      details,
    );
  }
}

/** The proxy kind of each certificate; a proxyCertInfo that cannot be read is the sender's fault. */
function proxyKinds(chain: readonly X509Certificate[]): Array<ProxyKind | undefined> {
  return chain.map((cert) => {
    try {
      return proxyKindOf(cert);
    } catch {
      throw gsiError(
        'GSI_PROXY_MALFORMED',
        `the proxyCertInfo extension of "${dn(cert)}" cannot be read`,
        { subject: dn(cert) },
      );
    }
  });
}

/**
 * Checks the links the peer sent and finds the trust anchor; returns leaf → anchor. The chain
 * starts with its proxies (indices below `eecIndex`), each checked by the proxy rules.
 */
function buildPath(
  chain: readonly X509Certificate[],
  kinds: ReadonlyArray<ProxyKind | undefined>,
  eecIndex: number,
  trust: TrustStore,
): X509Certificate[] {
  if (eecIndex >= chain.length) {
    const top = chain[chain.length - 1]!;
    throw gsiError(
      'GSI_BAD_CHAIN_ORDER',
      `the proxy "${dn(top)}" came without the certificate that signed it ("${globusIssuerOf(top)}"); a proxy must be sent with its chain up to the end-entity certificate`,
      { subject: dn(top), issuer: globusIssuerOf(top) },
    );
  }
  for (let i = 0; i + 1 < chain.length; i += 1) {
    const kind = kinds[i];
    if (i < eecIndex && kind) {
      checkOrder(chain[i]!, chain[i + 1]!);
      checkProxyLink(chain[i]!, kind, chain[i + 1]!, kinds[i + 1]);
    } else {
      checkLink(chain[i]!, chain[i + 1]!);
    }
  }
  const last = chain[chain.length - 1]!;
  if (trust.findAnchor(last)) return [...chain];
  if (chain.length === 1 && isSelfSigned(last)) {
    throw gsiError('GSI_SELF_SIGNED', `"${dn(last)}" is self-signed and not a trusted CA`, {
      subject: dn(last),
    });
  }
  // The peer need not send the CA itself: find it in the store by issuer name, then prove it
  // by signature, so that a CA of the same name but another key is never taken for it.
  const candidates = trust.anchorsNamedAsIssuerOf(last);
  if (candidates.length === 0) {
    throw gsiError(
      'GSI_UNTRUSTED_CA',
      isSelfSigned(last)
        ? `the chain ends at the CA "${dn(last)}", which is not in the trusted certificates directory`
        : `"${dn(last)}" was issued by "${globusIssuerOf(last)}", a CA that is not in the trusted certificates directory`,
      { subject: dn(last), issuer: globusIssuerOf(last) },
    );
  }
  const anchor = candidates.find((a) => last.verify(a.cert.publicKey)) ?? candidates[0]!;
  checkLink(last, anchor.cert);
  return [...chain, anchor.cert];
}

function checkProxyPathLengths(
  path: readonly X509Certificate[],
  kinds: ReadonlyArray<ProxyKind | undefined>,
  eecIndex: number,
): void {
  for (let i = 0; i < eecIndex; i += 1) {
    const kind = kinds[i];
    const limit = kind?.kind === 'rfc3820' ? kind.info.pathLength : undefined;
    // i proxies stand below proxy i, each signed (directly or not) under its authority.
    if (limit !== undefined && i > limit) {
      throw gsiError(
        'GSI_PROXY_PATH_LENGTH',
        `the proxy "${dn(path[i]!)}" allows at most ${limit} further prox${limit === 1 ? 'y' : 'ies'} below it, but the chain has ${i}`,
        { subject: dn(path[i]!), pathLength: limit, proxiesBelow: i },
      );
    }
  }
}

function checkPathLengths(path: readonly X509Certificate[], eecIndex: number): void {
  for (let j = eecIndex + 1; j < path.length; j += 1) {
    const limit = pathLengthConstraint(path[j]!);
    // CA certificates between this one and the end entity; proxies do not count (RFC 3820).
    const below = j - eecIndex - 1;
    if (limit !== undefined && below > limit) {
      throw gsiError(
        'GSI_NOT_A_CA',
        `"${dn(path[j]!)}" allows at most ${limit} CA certificate(s) below it, but the chain has ${below}`,
        { subject: dn(path[j]!) },
      );
    }
  }
}

function checkValidity(cert: X509Certificate, now: Date): void {
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new Error(`unreadable validity dates ${cert.validFrom} / ${cert.validTo}`);
  }
  if (now < notBefore) {
    throw gsiError(
      'GSI_NOT_YET_VALID',
      `"${dn(cert)}" is not valid until ${notBefore.toISOString()}`,
      {
        subject: dn(cert),
        notBefore: notBefore.toISOString(),
      },
    );
  }
  if (now > notAfter) {
    throw gsiError('GSI_EXPIRED', `"${dn(cert)}" expired at ${notAfter.toISOString()}`, {
      subject: dn(cert),
      notAfter: notAfter.toISOString(),
    });
  }
}

function checkRevocation(
  path: readonly X509Certificate[],
  trust: TrustStore,
  now: Date,
  eecIndex: number,
): void {
  // CAs revoke what they issued; proxies have no CRLs, and die with their end entity.
  for (let i = eecIndex; i + 1 < path.length; i += 1) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    for (const { crl, signatureValid } of trust.revocationListsOf(issuer)) {
      const details = { subject: dn(cert), issuer: dn(issuer), crl: crl.source };
      if (!signatureValid) {
        throw gsiError(
          'GSI_CRL_INVALID',
          `the CRL ${crl.source} for "${dn(issuer)}" is not signed by that CA`,
          details,
        );
      }
      if (now < crl.thisUpdate || (crl.nextUpdate !== undefined && now > crl.nextUpdate)) {
        throw gsiError(
          'GSI_CRL_INVALID',
          `the CRL ${crl.source} for "${dn(issuer)}" is valid only from ${crl.thisUpdate.toISOString()} to ${crl.nextUpdate?.toISOString() ?? 'forever'}`,
          details,
        );
      }
      if (crl.revokedSerials.has(normaliseSerial(cert.serialNumber))) {
        throw gsiError(
          'GSI_CRL_REVOKED',
          `"${dn(cert)}" (serial ${cert.serialNumber}) has been revoked by "${dn(issuer)}"`,
          details,
        );
      }
    }
  }
}

/**
 * Whom the chain speaks for: the end entity, unless an independent proxy stands between it and
 * the leaf, which speaks only for itself (the last such proxy, nearest the leaf, wins).
 */
function identityOf(
  path: readonly X509Certificate[],
  kinds: ReadonlyArray<ProxyKind | undefined>,
  eecIndex: number,
): string {
  let identity = dn(path[eecIndex]!);
  for (let i = eecIndex - 1; i >= 0; i -= 1) {
    const kind = kinds[i];
    if (kind?.kind === 'rfc3820' && kind.info.policy === 'independent') identity = dn(path[i]!);
  }
  return identity;
}

/**
 * Validates a peer's chain (leaf first, as TLS delivers it) against the trust store at `now`.
 * Throws a `GridError` (GSI_…) naming the certificate at fault; returns the caller's identity.
 */
export function validateChain(
  chain: readonly X509Certificate[],
  trust: TrustStore,
  now: Date = new Date(),
): ValidatedChain {
  if (chain.length === 0) {
    throw gsiError('GSI_NO_CLIENT_CERT', 'no client certificate was presented');
  }
  const kinds = proxyKinds(chain);
  const firstNonProxy = kinds.findIndex((kind) => kind === undefined);
  const eecIndex = firstNonProxy === -1 ? chain.length : firstNonProxy;
  const path = buildPath(chain, kinds, eecIndex, trust);
  const anchor = path[path.length - 1]!;
  if (!anchor.ca) {
    throw gsiError(
      'GSI_NOT_A_CA',
      `the trusted certificate "${dn(anchor)}" is not a CA certificate`,
      {
        subject: dn(anchor),
      },
    );
  }
  checkProxyPathLengths(path, kinds, eecIndex);
  checkPathLengths(path, eecIndex);
  for (const cert of path) checkValidity(cert, now);
  checkRevocation(path, trust, now, eecIndex);
  return {
    identity: identityOf(path, kinds, eecIndex),
    endEntity: dn(path[eecIndex]!),
    chainSubjects: path.map(dn),
    limited: kinds.some((kind, i) => i < eecIndex && kind !== undefined && isLimitedProxy(kind)),
    proxyDepth: eecIndex,
  };
}
