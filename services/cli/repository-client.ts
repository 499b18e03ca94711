/**
 * The command line's client for the CredentialRepositoryService (weft myproxy-*), over the same
 * node-soap HTTPS client as the GRAM calls (gram-client.ts).
 */
import type { RepositoryInfo } from '../myproxy/index.ts';
import type { ClientCredentials } from './gram-client.ts';
import { call, client } from './gram-client.ts';
import { asList } from './soap-values.ts';

const WSDL = 'CredentialRepositoryService.wsdl';

export function repositoryServiceUrl(baseUrl: string): string {
  return `${baseUrl}/wsrf/services/CredentialRepositoryService`;
}


function normalize(raw: Record<string, unknown>): RepositoryInfo {
  return {
    username: String(raw.username),
    owner: String(raw.owner),
    notAfter: String(raw.notAfter),
    maxLifetimeHours: Number(raw.maxLifetimeHours),
    ...(typeof raw.renewer === 'string' && raw.renewer ? { renewer: raw.renewer } : {}),
  };
}

export interface PutArgs {
  username: string;
  passphrase: string;
  certPem: string;
  keyPem: string;
  chainPems: readonly string[];
  maxLifetimeHours: number;
  /** myproxy-init -R: the DN that may renew from it; then no pass phrase is sent. */
  renewer?: string;
}

export async function putCredential(url: string, args: PutArgs, credentials: ClientCredentials): Promise<RepositoryInfo> {
  const answer = await call<{ info: Record<string, unknown> }>(
    await client(WSDL, url, credentials),
    'put',
    {
      username: args.username,
      ...(args.renewer ? {} : { passphrase: args.passphrase }),
      certPem: args.certPem,
      keyPem: args.keyPem,
      chainPem: [...args.chainPems],
      maxLifetimeHours: args.maxLifetimeHours,
      ...(args.renewer ? { renewer: args.renewer } : {}),
    },
    url,
  );
  return normalize(answer.info);
}

export async function getCredential(
  url: string,
  args: { username: string; passphrase: string; publicKeyPem: string; lifetimeHours: number },
  credentials: ClientCredentials,
): Promise<{ certPem: string; chainPems: string[]; notAfter: string }> {
  const answer = await call<{ certPem: string; chainPem: string | string[]; notAfter: string }>(await client(WSDL, url, credentials), 'get', args, url);
  return { certPem: answer.certPem, chainPems: asList(answer.chainPem), notAfter: String(answer.notAfter) };
}

export async function credentialInfo(url: string, username: string, credentials: ClientCredentials): Promise<RepositoryInfo> {
  const answer = await call<{ info: Record<string, unknown> }>(await client(WSDL, url, credentials), 'info', { username }, url);
  return normalize(answer.info);
}

export async function destroyCredential(url: string, username: string, passphrase: string | undefined, credentials: ClientCredentials): Promise<boolean> {
  const answer = await call<{ removed: string | boolean }>(await client(WSDL, url, credentials), 'destroy', passphrase === undefined ? { username } : { username, passphrase }, url);
  return String(answer.removed) === 'true';
}
