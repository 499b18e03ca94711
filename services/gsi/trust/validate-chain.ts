/**
 * Strict certificate-path validation for GSI. Node's TLS cannot validate grid chains (it knows
 * nothing of proxies, of the hashed trust directory or of its CRLs), so the TLS layer asks for
 * the peer's chain and this decides.
 *
 * Checks, in the order a person would want to hear about them: who vouches for each link
 * (names, CA flag, signature, key usage), that the chain ends at a trusted CA, then validity
 * times of every certificate, then revocation against the CRLs in the trust directory.
 */
import type { X509Certificate } from 'node:crypto';
import { certificateNames, globusIssuerOf, globusSubjectOf } from '../certificate-names.ts';
import { gsiError } from '../errors.ts';
import { canonicalNameEncoding } from '../pki/openssl-subject-hash.ts';
import { pathLengthConstraint } from './certificate-extensions.ts';
import { normaliseSerial } from './revocation-list.ts';
import type { TrustStore } from './trust-store.ts';

/** The outcome of a successful validation. */
export interface ValidatedChain {
  /** The Globus DN the caller acts as (the end-entity certificate's subject). */
  readonly identity: string;
  /** Subjects from the leaf up to and including the trust anchor, in Globus form. */
  readonly chainSubjects: readonly string[];
}

const dn = (cert: X509Certificate): string => globusSubjectOf(cert);

function issuerNameMatches(child: X509Certificate, parent: X509Certificate): boolean {
  const issuer = canonicalNameEncoding(certificateNames(child.raw).issuer);
  return issuer.equals(canonicalNameEncoding(certificateNames(parent.raw).subject));
}

function isSelfSigned(cert: X509Certificate): boolean {
  return issuerNameMatches(cert, cert) && cert.verify(cert.publicKey);
}

/** One link: `parent` must be a CA entitled to sign and must have signed `child`. */
function checkLink(child: X509Certificate, parent: X509Certificate): void {
  const details = { subject: dn(child), issuer: dn(parent) };
  if (!issuerNameMatches(child, parent)) {
    throw gsiError(
      'GSI_BAD_CHAIN_ORDER',
      `"${dn(child)}" names "${globusIssuerOf(child)}" as its issuer, but the next certificate in the chain is "${dn(parent)}"`,
      details,
    );
  }
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

/** Checks the links the peer sent and finds the trust anchor; returns leaf → anchor. */
function buildPath(chain: readonly X509Certificate[], trust: TrustStore): X509Certificate[] {
  for (let i = 0; i + 1 < chain.length; i += 1) checkLink(chain[i]!, chain[i + 1]!);
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

function checkPathLengths(path: readonly X509Certificate[]): void {
  for (let j = 1; j < path.length; j += 1) {
    const limit = pathLengthConstraint(path[j]!);
    const below = j - 1; // CA certificates between this one and the leaf
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

function checkRevocation(path: readonly X509Certificate[], trust: TrustStore, now: Date): void {
  for (let i = 0; i + 1 < path.length; i += 1) {
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
 * Which certificate of the path carries the caller's identity. Today that is always the leaf.
 * EXTENSION POINT for RFC 3820 proxies: the proxy work replaces this with "the first
 * certificate that is not a proxy", after checking each proxy link (subject = issuer + one CN,
 * proxyCertInfo path length and policy, nested validity), and lets proxy certificates through
 * `checkLink` where today an end-entity signer is refused as not being a CA.
 */
function identityIndex(_path: readonly X509Certificate[]): number {
  return 0;
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
  const path = buildPath(chain, trust);
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
  checkPathLengths(path);
  for (const cert of path) checkValidity(cert, now);
  checkRevocation(path, trust, now);
  return { identity: dn(path[identityIndex(path)]!), chainSubjects: path.map(dn) };
}
