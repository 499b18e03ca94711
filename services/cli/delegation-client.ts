/**
 * The command line's side of delegation: ask the container's DelegationService for a request,
 * sign a proxy for the key in it with the user's credentials (which never leave this process),
 * and put the chain back. Reuses gram-client's node-soap client.
 */
import { createPrivateKey } from 'node:crypto';
import { publicKeyOfRequest } from '../delegation/index.ts';
import { signProxy } from '../gsi/index.ts';
import { cliError } from './errors.ts';
import type { ClientCredentials } from './gram-client.ts';
import { call, client } from './gram-client.ts';

const WSDL = 'DelegationService.wsdl';

/** The DelegationService URL of a container, `https://host:port`. */
export function delegationServiceUrl(baseUrl: string): string {
  return `${baseUrl}/wsrf/services/DelegationService`;
}

export interface Delegated {
  readonly delegationId: string;
  readonly epr: string;
  readonly terminationTime: string;
  readonly subject: string;
}

export interface DelegateOptions {
  /** Lifetime of the delegated proxy; clipped to the user's credential. Default 12 hours. */
  readonly lifetimeSeconds?: number;
  readonly limited?: boolean;
  /** A repository credential stored with myproxy-init -R that the grid may renew the proxy from. */
  readonly renewFrom?: string;
}

function isoOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function serviceUrlOf(epr: string): string {
  let url: URL;
  try {
    url = new URL(epr);
  } catch {
    throw cliError('CLI_BAD_CONTACT', `"${epr}" is not a delegation EPR (https://host:port/wsrf/services/DelegationService?id=…)`);
  }
  return `${url.origin}${url.pathname}`;
}

/** requestDelegation, signProxy, putDelegation: the delegation a job can then name by `epr`. */
export async function delegate(baseUrl: string, credentials: ClientCredentials, options: DelegateOptions = {}): Promise<Delegated> {
  const url = delegationServiceUrl(baseUrl);
  const soapClient = await client(WSDL, url, credentials);
  const requested = await call<{ delegationId: string; certificateRequest: string }>(soapClient, 'requestDelegation', {}, url);
  return complete(url, soapClient, requested, credentials, options);
}

/** refreshDelegation then putDelegation: a fresh proxy replaces the delegation's chain. */
export async function refreshDelegation(epr: string, credentials: ClientCredentials, options: DelegateOptions = {}): Promise<Delegated> {
  const url = serviceUrlOf(epr);
  const soapClient = await client(WSDL, url, credentials);
  const requested = await call<{ delegationId: string; certificateRequest: string }>(soapClient, 'refreshDelegation', { delegationId: epr }, url);
  return complete(url, soapClient, requested, credentials, options);
}

async function complete(
  url: string,
  soapClient: Awaited<ReturnType<typeof client>>,
  requested: { delegationId: string; certificateRequest: string },
  credentials: ClientCredentials,
  options: DelegateOptions,
): Promise<Delegated> {
  const proxy = signProxy(publicKeyOfRequest(requested.certificateRequest), {
    issuerCertPem: credentials.certPem,
    issuerKey: createPrivateKey(credentials.keyPem),
    issuerChainPems: credentials.chainPems,
    ...(options.lifetimeSeconds === undefined ? {} : { lifetimeSeconds: options.lifetimeSeconds }),
    ...(options.limited ? { policy: 'limited' as const } : {}),
  });
  const put = await call<{ delegationEpr: string; terminationTime: unknown }>(
    soapClient,
    'putDelegation',
    {
      delegationId: requested.delegationId,
      certificateChain: [proxy.certPem, ...proxy.chainPems].join('\n'),
      ...(options.renewFrom ? { renewFrom: options.renewFrom } : {}),
    },
    url,
  );
  return { delegationId: requested.delegationId, epr: put.delegationEpr, terminationTime: isoOf(put.terminationTime), subject: proxy.subject };
}

export async function delegationTerminationTime(epr: string, credentials: ClientCredentials): Promise<{ terminationTime: string; completed: boolean }> {
  const url = serviceUrlOf(epr);
  const answer = await call<{ terminationTime: unknown; completed: unknown }>(await client(WSDL, url, credentials), 'getTerminationTime', { delegationId: epr }, url);
  return { terminationTime: isoOf(answer.terminationTime), completed: String(answer.completed) === 'true' };
}

export async function destroyDelegation(epr: string, credentials: ClientCredentials): Promise<boolean> {
  const url = serviceUrlOf(epr);
  const answer = await call<{ destroyed: unknown }>(await client(WSDL, url, credentials), 'destroyDelegation', { delegationId: epr }, url);
  return String(answer.destroyed) === 'true';
}
