/**
 * The command line's SOAP client for the GRAM services: node-soap reading our own WSDL files
 * (no round trip for ?wsdl), over HTTPS with the user's certificate. SOAP faults come back as
 * GridErrors with the server's code, message and hint; transport failures as CLI_ errors that
 * say what to check.
 */
import { join } from 'node:path';
import * as soap from 'soap';
import { GridError, type ErrorSpec } from '../common/errors.ts';
import { REPO_ROOT } from '../common/grid-config.ts';
import type { JobOutcome } from '../common/job.ts';
import type { AnalyzeResponse } from '../gram/index.ts';
import { cliError } from './errors.ts';
import { asList } from './soap-values.ts';
import { SignedSslSecurity, type MessageSecurity } from './ws-security.ts';

export interface ClientCredentials {
  readonly certPem: string;
  readonly keyPem: string;
  /** Certificates between the user's and the CA (proxy chains), PEM. */
  readonly chainPems: readonly string[];
  /** Trusted CA certificates, PEM, to check the container's host certificate. */
  readonly caPems: readonly string[];
  /** Whether requests are signed with WS-Security too, or instead of TLS (`WEFT_WSSEC`). */
  readonly messageSecurity?: MessageSecurity;
}

export interface JobStatus extends JobOutcome {
  jobKey: string;
  state: string;
  owner: string;
  /** Held for, or short of, its delegated credential. */
  credentialWarning?: string;
  history?: { entry?: Array<{ state: string; at: string; by: string; reason?: string }> };
}

export interface CreatedJob {
  jobContact: string;
  state: string;
  managedJobEndpoint: { Address: string; ReferenceParameters: { JobKey: string } };
}

const WSDL_DIR = join(REPO_ROOT, 'wsdl');

interface FaultShape {
  root?: { Envelope?: { Body?: { Fault?: { faultstring?: string; detail?: { gridFault?: Record<string, string> } } } } };
  code?: string;
  message?: string;
}

/** Turns whatever node-soap rejected with into a GridError a person can act on. */
function toCliError(error: unknown, url: string): GridError {
  const shape = error as FaultShape;
  const fault = shape.root?.Envelope?.Body?.Fault;
  const detail = fault?.detail?.gridFault;
  if (detail?.code) {
    const spec: ErrorSpec = {
      side: detail.code.startsWith('WEFT_INTERNAL') ? 'server' : 'client',
      retryable: String(detail.retryable) === 'true',
      hint: detail.hint ?? '',
      ...(detail.gramProtocolCode ? { gramProtocolCode: Number(detail.gramProtocolCode) } : {}),
    };
    return new GridError(detail.code, spec, detail.message ?? fault?.faultstring ?? 'the request was refused');
  }
  const code = shape.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(code)) {
    return cliError('CLI_UNREACHABLE', `nothing answers at ${url} (${code})`);
  }
  if (/certificate|SSL|TLS|self.signed|alert/i.test(`${code} ${shape.message ?? ''}`)) {
    return cliError('CLI_TLS_REFUSED', `the TLS connection to ${url} failed: ${shape.message ?? code}`);
  }
  return cliError('CLI_BAD_ANSWER', `the call to ${url} failed: ${shape.message ?? String(error)}`);
}

/** Clients by credentials, then by WSDL and endpoint: parsing a WSDL costs more than a call. */
const clients = new WeakMap<ClientCredentials, Map<string, Promise<soap.Client>>>();

/** A cached node-soap client for one of our WSDL files at `endpoint` (also used by index-client.ts). */
export function client(wsdlFile: string, endpoint: string, credentials: ClientCredentials): Promise<soap.Client> {
  let byEndpoint = clients.get(credentials);
  if (!byEndpoint) clients.set(credentials, (byEndpoint = new Map()));
  const key = `${wsdlFile} ${endpoint}`;
  let made = byEndpoint.get(key);
  if (!made) {
    made = makeClient(wsdlFile, endpoint, credentials);
    byEndpoint.set(key, made);
    made.catch(() => byEndpoint.delete(key));
  }
  return made;
}

async function makeClient(wsdlFile: string, endpoint: string, credentials: ClientCredentials) {
  // Job output is data: keep its whitespace (node-soap trims text by default).
  const soapClient = await soap.createClientAsync(join(WSDL_DIR, wsdlFile), { preserveWhitespace: true }, endpoint);
  const keepAlive = { forever: true };
  const signing = credentials.messageSecurity ?? 'off';
  if (signing !== 'off') {
    soapClient.setSecurity(new SignedSslSecurity(credentials, signing === 'sign', keepAlive));
    return soapClient;
  }
  soapClient.setSecurity(
    new soap.ClientSSLSecurity(
      Buffer.from(credentials.keyPem),
      Buffer.from([credentials.certPem, ...credentials.chainPems].join('\n')),
      credentials.caPems.map((pem) => Buffer.from(pem)),
      // One keep-alive agent per client: one TLS handshake for many calls (its idle sockets are
      // unref'd, so a CLI process still exits at once).
      keepAlive,
    ),
  );
  return soapClient;
}

/** Calls one operation; faults come back as GridErrors with the server's code. */
export async function call<T>(soapClient: soap.Client, operation: string, args: object, url: string): Promise<T> {
  const method = soapClient[`${operation}Async`] as (args: object) => Promise<[T]>;
  try {
    const [result] = await method.call(soapClient, args);
    return result;
  } catch (error) {
    throw toCliError(error, url);
  }
}

/** `delegatedCredentialEpr`: a DelegationService EPR whose proxy the job gets (delegation-client.ts). */
export async function createJob(factoryUrl: string, rsl: string, credentials: ClientCredentials, delegatedCredentialEpr?: string): Promise<CreatedJob> {
  const soapClient = await client('ManagedJobFactoryService.wsdl', factoryUrl, credentials);
  const args = delegatedCredentialEpr ? { jobDescription: rsl, delegatedCredentialEpr } : { jobDescription: rsl };
  return call<CreatedJob>(soapClient, 'createManagedJob', args, factoryUrl);
}

export interface JobStatusReader {
  (jobKey: string): Promise<JobStatus>;
}

/** A status reader that keeps its client (and TLS session) across polls. */
export async function jobStatusReader(jobServiceUrl: string, credentials: ClientCredentials): Promise<JobStatusReader> {
  const soapClient = await client('ManagedJobService.wsdl', jobServiceUrl, credentials);
  return (jobKey) => call<JobStatus>(soapClient, 'getStatus', { jobKey }, jobServiceUrl);
}

export async function cancelJob(jobServiceUrl: string, jobKey: string, credentials: ClientCredentials) {
  const soapClient = await client('ManagedJobService.wsdl', jobServiceUrl, credentials);
  return call<{ jobKey: string; state: string; cancelled: boolean | string }>(soapClient, 'cancel', { jobKey }, jobServiceUrl);
}

/** One live site in a job analysis, as the service describes it. */
export type AnalyzedSite = AnalyzeResponse['sites']['site'][number];

/** ManagedJobService.analyze, with repeated elements always as arrays and numbers as numbers. */
export interface JobAnalysisAnswer {
  jobKey: string;
  state: string;
  site?: string;
  summary: string;
  sitesConsidered: number;
  checks: { name: string; rejected: number; siteNames: string[] }[];
  remaining: string[];
  sites: AnalyzedSite[];
}

type Raw = Record<string, unknown>;
/** node-soap gives one element as an object and several as an array, absent as undefined. */
const absent = (value: unknown): value is null | undefined => value === null || value === undefined;
const text = (value: unknown): string => (absent(value) ? '' : String(value));

export async function analyzeJobRemote(jobServiceUrl: string, jobKey: string, credentials: ClientCredentials): Promise<JobAnalysisAnswer> {
  const soapClient = await client('ManagedJobService.wsdl', jobServiceUrl, credentials);
  const raw = await call<Raw>(soapClient, 'analyze', { jobKey }, jobServiceUrl);
  const checks = asList((raw.checks as Raw | undefined)?.check as Raw | Raw[] | undefined);
  const sites = asList((raw.sites as Raw | undefined)?.site as Raw | Raw[] | undefined);
  return {
    jobKey: text(raw.jobKey),
    state: text(raw.state),
    ...(absent(raw.site) ? {} : { site: text(raw.site) }),
    summary: text(raw.summary),
    sitesConsidered: Number(raw.sitesConsidered),
    checks: checks.map((check) => ({
      name: text(check.name),
      rejected: Number(check.rejected),
      siteNames: asList(check.siteName as string | string[] | undefined).map(text),
    })),
    remaining: asList((raw.remaining as Raw | undefined)?.siteName as string | string[] | undefined).map(text),
    sites: sites.map((site) => ({
      name: text(site.name),
      ageSeconds: Number(site.ageSeconds),
      totalSlots: Number(site.totalSlots),
      freeSlots: Number(site.freeSlots),
      remains: String(site.remains) === 'true',
      ...(absent(site.rank) ? {} : { rank: Number(site.rank) }),
      estimatedCost: Number(site.estimatedCost),
      expectedCompletion: site.expectedCompletion instanceof Date ? site.expectedCompletion.toISOString() : text(site.expectedCompletion),
      rejectedBy: asList(site.rejectedBy as string | string[] | undefined).map(text),
    })),
  };
}
