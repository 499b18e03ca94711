/**
 * The trusted CAs (and their CRLs) read from a Globus/OpenSSL hashed directory, the one
 * `X509_CERT_DIR` names: `<hash>.0` (`.1`, … on hash collisions) are CA certificates,
 * `<hash>.r0` their CRLs. Other files there (`.signing_policy`, `.namespaces`, `.info`,
 * `.crl_url`) belong to other tools and are ignored.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { certificateNames, globusSubjectOf } from '../certificate-names.ts';
import { gsiError } from '../errors.ts';
import { canonicalNameEncoding, opensslNameHash } from '../pki/openssl-subject-hash.ts';
import {
  isRevocationListSignedBy,
  parseRevocationList,
  type RevocationList,
} from './revocation-list.ts';

/** One trusted CA certificate. */
export interface TrustAnchor {
  readonly cert: X509Certificate;
  /** Its subject in Globus form. */
  readonly dn: string;
  /** Its OpenSSL subject hash (the file-name stem). */
  readonly hash: string;
  /** Where it was read from, or `memory`. */
  readonly source: string;
}

/** A CRL whose issuer name matches a CA, with whether that CA's key really signed it. */
export interface RevocationListMatch {
  readonly crl: RevocationList;
  readonly signatureValid: boolean;
}

/** Read-only view of the trusted CAs, answering the questions chain validation asks. */
export interface TrustStore {
  readonly certDir: string;
  readonly anchors: readonly TrustAnchor[];
  readonly revocationLists: readonly RevocationList[];
  /** Files that were skipped, and why (for the operator's log). */
  readonly problems: readonly string[];
  /** The anchor that is this very certificate (same DER bytes), if any. */
  findAnchor(cert: X509Certificate): TrustAnchor | undefined;
  /** Anchors whose subject equals `cert`'s issuer under OpenSSL's name comparison. */
  anchorsNamedAsIssuerOf(cert: X509Certificate): TrustAnchor[];
  /** CRLs naming `issuer` as their issuer, each with its signature checked against it. */
  revocationListsOf(issuer: X509Certificate): RevocationListMatch[];
}

const nameKey = (name: Buffer): string => name.toString('base64');

/** Builds a store from certificates and CRLs already in memory (tests, embedded CAs). */
export function createTrustStore(input: {
  certDir: string;
  anchors: ReadonlyArray<{ cert: X509Certificate; source: string }>;
  revocationLists?: readonly RevocationList[];
  problems?: readonly string[];
}): TrustStore {
  const anchors: TrustAnchor[] = input.anchors.map(({ cert, source }) => ({
    cert,
    dn: globusSubjectOf(cert),
    hash: opensslNameHash(certificateNames(cert.raw).subject),
    source,
  }));
  const byFingerprint = new Map(anchors.map((a) => [a.cert.fingerprint256, a]));
  const bySubject = new Map<string, TrustAnchor[]>();
  for (const anchor of anchors) {
    const key = nameKey(canonicalNameEncoding(certificateNames(anchor.cert.raw).subject));
    bySubject.set(key, [...(bySubject.get(key) ?? []), anchor]);
  }
  const revocationLists = input.revocationLists ?? [];
  // Checking a CRL signature costs an RSA operation; the answer never changes for a pair.
  const verified = new WeakMap<RevocationList, Map<string, boolean>>();

  return Object.freeze({
    certDir: input.certDir,
    anchors: Object.freeze(anchors),
    revocationLists: Object.freeze([...revocationLists]),
    problems: Object.freeze([...(input.problems ?? [])]),
    findAnchor: (cert: X509Certificate) => byFingerprint.get(cert.fingerprint256),
    anchorsNamedAsIssuerOf: (cert: X509Certificate) =>
      bySubject.get(nameKey(canonicalNameEncoding(certificateNames(cert.raw).issuer))) ?? [],
    revocationListsOf(issuer: X509Certificate): RevocationListMatch[] {
      const subject = canonicalNameEncoding(certificateNames(issuer.raw).subject);
      return revocationLists
        .filter((crl) => crl.issuerName.equals(subject))
        .map((crl) => {
          const byIssuer = verified.get(crl) ?? new Map<string, boolean>();
          verified.set(crl, byIssuer);
          let signatureValid = byIssuer.get(issuer.fingerprint256);
          if (signatureValid === undefined) {
            signatureValid = isRevocationListSignedBy(crl, issuer);
            byIssuer.set(issuer.fingerprint256, signatureValid);
          }
          return { crl, signatureValid };
        });
    },
  });
}

const CA_FILE = /^([0-9a-f]{8})\.\d+$/;
const CRL_FILE = /^([0-9a-f]{8})\.r\d+$/;

/**
 * Loads every CA certificate and CRL from a hashed directory. A file whose name does not
 * match its content's hash is skipped (OpenSSL and Globus would never find it), as is a file
 * that does not parse; each skip is listed in `problems`. Throws GSI_TRUST_DIR_NOT_FOUND when
 * the directory is missing or holds no CA certificate at all.
 */
export async function loadTrustStore(certDir: string): Promise<TrustStore> {
  let names: string[];
  try {
    names = (await readdir(certDir)).sort();
  } catch (error) {
    throw gsiError(
      'GSI_TRUST_DIR_NOT_FOUND',
      `the trusted certificates directory ${certDir} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { certDir },
    );
  }
  const anchors: Array<{ cert: X509Certificate; source: string }> = [];
  const revocationLists: RevocationList[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const caMatch = CA_FILE.exec(name);
    const crlMatch = CRL_FILE.exec(name);
    if (!caMatch && !crlMatch) continue;
    const file = join(certDir, name);
    try {
      const data = await readFile(file);
      if (caMatch) {
        const cert = new X509Certificate(data);
        const hash = opensslNameHash(certificateNames(cert.raw).subject);
        if (hash !== caMatch[1]) throw new Error(`its subject hash is ${hash}`);
        anchors.push({ cert, source: file });
      } else if (crlMatch) {
        const crl = parseRevocationList(data, file);
        if (crl.issuerHash !== crlMatch[1]) throw new Error(`its issuer hash is ${crl.issuerHash}`);
        revocationLists.push(crl);
      }
    } catch (error) {
      problems.push(`${file} skipped: ${(error as Error).message}`);
    }
  }
  if (anchors.length === 0) {
    throw gsiError(
      'GSI_TRUST_DIR_NOT_FOUND',
      `the trusted certificates directory ${certDir} holds no CA certificate (<hash>.0 file)`,
      { certDir },
    );
  }
  return createTrustStore({ certDir, anchors, revocationLists, problems });
}
