/**
 * The user's credentials for a CLI call, found where Globus tools look (GSI decides the order
 * and refuses unsafe key files), plus the trusted CAs to check the container with.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { findUserCredentials } from '../gsi/index.ts';
import type { ClientCredentials } from './gram-client.ts';
import { messageSecurityFrom } from './ws-security.ts';

export interface CredentialSearch {
  readonly env: NodeJS.ProcessEnv;
  readonly homeDir: string;
  readonly uid: number;
  /** The project's dev PKI, used when the user has no credentials of their own. */
  readonly devCertsDir: string;
}

async function caPemsIn(certDir: string): Promise<string[]> {
  const files = (await readdir(certDir)).filter((file) => /^[0-9a-f]{8}\.\d+$/.test(file));
  return Promise.all(files.map((file) => readFile(join(certDir, file), 'utf8')));
}

export async function loadClientCredentials(search: CredentialSearch): Promise<ClientCredentials> {
  const found = await findUserCredentials({
    env: search.env,
    homeDir: search.homeDir,
    uid: search.uid,
    fallbackCertsDir: search.devCertsDir,
  });
  return {
    certPem: found.certPem,
    keyPem: found.keyPem,
    chainPems: found.chainPems,
    caPems: await caPemsIn(found.certDir),
    messageSecurity: messageSecurityFrom(search.env.WEFT_WSSEC),
  };
}
