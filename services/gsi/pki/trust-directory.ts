/**
 * Writes a CA into a Globus trusted-certificates directory (`X509_CERT_DIR`), the layout
 * `grid-proxy-init`, `globus-url-copy`, `openssl verify -CApath` and our trust store read:
 * - `<hash>.0`              the CA certificate, named by OpenSSL's subject hash;
 * - `<hash>.signing_policy` the Globus EACL saying which subjects the CA may sign for;
 * - `<hash>.r0`             the CA's CRL (empty), valid 30 days.
 * Only missing or stale files are written, so running it again changes nothing.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { globusSubjectOf } from '../certificate-names.ts';
import { isRevocationListSignedBy, parseRevocationList } from '../trust/revocation-list.ts';
import type { CertificateAuthority } from './certificate-authority.ts';
import { createRevocationList } from './certificate-revocation-list.ts';
import { opensslSubjectHash } from './openssl-subject-hash.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

export interface WriteTrustDirectoryOptions {
  /** Subjects the CA may sign, as a Globus pattern; default `/O=Grid/OU=Weft/*`. */
  readonly signingNamespace?: string;
  /** CRL lifetime in days; default 30. */
  readonly crlDays?: number;
  /** A CRL closer than this to its nextUpdate is renewed; default 7 days. */
  readonly crlRenewDays?: number;
  readonly now?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The Globus EACL for a CA (the format `grid-ca-create` and IGTF distributions write). */
export function signingPolicy(caDn: string, namespace: string): string {
  return [
    `# Globus signing policy for ${caDn}`,
    '# Written by Weft; the CA may sign certificates only for the subjects below.',
    `access_id_CA      X509         '${caDn}'`,
    'pos_rights        globus        CA:sign',
    `cond_subjects     globus       '"${namespace}"'`,
    '',
  ].join('\n');
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function crlIsFresh(existing: string, caCert: X509Certificate, renewBefore: Date): boolean {
  try {
    const crl = parseRevocationList(existing, 'existing CRL');
    return (
      isRevocationListSignedBy(crl, caCert) &&
      crl.nextUpdate !== undefined &&
      crl.nextUpdate > renewBefore
    );
  } catch {
    return false; // unreadable: replace it
  }
}

/**
 * Installs `ca` in the trust directory `dir` (created 0755 if missing). Returns the paths
 * written this time; an empty list means everything was already in place.
 */
export async function writeTrustDirectory(
  dir: string,
  ca: CertificateAuthority,
  options: WriteTrustDirectoryOptions = {},
): Promise<string[]> {
  const now = options.now ?? new Date();
  const caCert = new X509Certificate(ca.certPem);
  const hash = opensslSubjectHash(caCert);
  const caDn = globusSubjectOf(caCert);
  await mkdir(dir, { recursive: true, mode: 0o755 });

  const written: string[] = [];
  const wanted: Array<[string, string]> = [
    [`${hash}.0`, ca.certPem],
    [
      `${hash}.signing_policy`,
      signingPolicy(caDn, options.signingNamespace ?? '/O=Grid/OU=Weft/*'),
    ],
  ];
  for (const [name, content] of wanted) {
    const path = join(dir, name);
    if ((await readIfExists(path)) !== content) {
      await writeFileAtomic(path, content, 0o644);
      written.push(path);
    }
  }

  const crlPath = join(dir, `${hash}.r0`);
  const existing = await readIfExists(crlPath);
  const renewBefore = new Date(now.getTime() + (options.crlRenewDays ?? 7) * DAY_MS);
  if (existing === undefined || !crlIsFresh(existing, caCert, renewBefore)) {
    await writeFileAtomic(
      crlPath,
      createRevocationList(ca, { days: options.crlDays ?? 30, now }),
      0o644,
    );
    written.push(crlPath);
  }
  return written;
}
