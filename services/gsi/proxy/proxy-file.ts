/**
 * The proxy file, as Globus lays it out: the proxy certificate, its unencrypted private key,
 * then the certificates that signed it up to (not including) the CA, all PEM, in one file of
 * mode 0600 at `X509_USER_PROXY` or `/tmp/x509up_u<uid>`.
 */
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkKeyFile } from '../credentials/find-user-credentials.ts';
import { pemBlocks } from '../der.ts';
import { gsiError } from '../errors.ts';
import { writeFileAtomic } from '../pki/write-file-atomic.ts';

/** The parts of a proxy file. */
export interface ProxyFileContents {
  readonly certPem: string;
  readonly keyPem: string;
  readonly chainPems: readonly string[];
}

/** A proxy file as read: its certificates parsed, leaf first. */
export interface ProxyFile extends ProxyFileContents {
  readonly path: string;
  readonly certs: readonly X509Certificate[];
}

/** Where the proxy lives: `X509_USER_PROXY`, else `<tmpDir>/x509up_u<uid>` (GCT's rule). */
export function defaultProxyPath(
  env: Readonly<Record<string, string | undefined>>,
  uid: number,
  tmpDir = '/tmp',
): string {
  return env['X509_USER_PROXY'] || join(tmpDir, `x509up_u${uid}`);
}

/** The file's text: certificate, key, chain. */
export function formatProxyFile(proxy: ProxyFileContents): string {
  const pem = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  return [proxy.certPem, proxy.keyPem, ...proxy.chainPems].map(pem).join('');
}

/** Writes the proxy file atomically with mode 0600 (readers never see half a key). */
export async function writeProxyFile(path: string, proxy: ProxyFileContents): Promise<void> {
  await writeFileAtomic(path, formatProxyFile(proxy), 0o600);
}

/**
 * Reads a proxy file, refusing one others can read or another user owns (as GCT does) and one
 * without a certificate. The key may be absent (a file holding only certificates is described,
 * not used).
 */
export async function readProxyFile(path: string, uid?: number): Promise<ProxyFile> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw gsiError('GSI_CREDENTIAL_NOT_FOUND', `there is no proxy file at ${path}`, { file: path });
  }
  await checkKeyFile(path, uid);
  const blocks = pemBlocks(await readFile(path, 'utf8'));
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE');
  const key = blocks.find((b) => /PRIVATE KEY$/.test(b.label));
  if (certs.length === 0) {
    throw gsiError('GSI_CREDENTIAL_UNREADABLE', `${path} holds no PEM certificate`, { file: path });
  }
  let parsed: X509Certificate[];
  try {
    parsed = certs.map((b) => new X509Certificate(b.der));
  } catch {
    throw gsiError('GSI_CREDENTIAL_UNREADABLE', `${path} holds a certificate that does not parse`, {
      file: path,
    });
  }
  return {
    path,
    certPem: certs[0]!.pem,
    keyPem: key?.pem ?? '',
    chainPems: certs.slice(1).map((b) => b.pem),
    certs: parsed,
  };
}
