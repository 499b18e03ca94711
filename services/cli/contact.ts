/**
 * Contacts as grid users type them. A resource contact names a container: `https://host:port`,
 * `host:port` or `host` (port 8443), optionally with a service path. A job contact is what
 * globus-job-submit printed: `https://host:port/wsrf/services/ManagedJobService?job=<key>`.
 */
import { cliError } from './errors.ts';

export const DEFAULT_PORT = 8443;
const SERVICES = '/wsrf/services';

export interface ResourceContact {
  /** `https://host:port` */
  readonly baseUrl: string;
  readonly factoryUrl: string;
}

export interface JobContact {
  readonly baseUrl: string;
  readonly jobServiceUrl: string;
  readonly jobKey: string;
}

export function parseResourceContact(text: string): ResourceContact {
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw cliError('CLI_BAD_CONTACT', `"${text}" is not a resource contact`);
  }
  if (url.protocol !== 'https:') {
    throw cliError('CLI_BAD_CONTACT', `"${text}" is not an https:// contact; Weft containers speak HTTPS only`);
  }
  const baseUrl = `https://${url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname}:${url.port || DEFAULT_PORT}`;
  return { baseUrl, factoryUrl: `${baseUrl}${SERVICES}/ManagedJobFactoryService` };
}

export function parseJobContact(text: string): JobContact {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw cliError('CLI_BAD_CONTACT', `"${text}" is not a job contact`);
  }
  const jobKey = url.searchParams.get('job');
  if (url.protocol !== 'https:' || !jobKey) {
    throw cliError('CLI_BAD_CONTACT', `"${text}" is not a job contact (it needs https:// and ?job=<key>)`);
  }
  const baseUrl = `${url.protocol}//${url.host}`;
  return { baseUrl, jobServiceUrl: `${baseUrl}${url.pathname}`, jobKey };
}
