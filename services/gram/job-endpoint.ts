/**
 * How a job is addressed. Over SOAP: an endpoint reference (the ManagedJobService address plus
 * the job key as a reference parameter, the GT4 WS-GRAM pattern). For people: one string, the
 * job contact, `https://host:8443/wsrf/services/ManagedJobService?job=<key>`, which
 * globus-job-submit prints and globus-job-status takes back.
 */
import { gramError } from './errors.ts';

export const JOB_SERVICE = 'ManagedJobService';
export const FACTORY_SERVICE = 'ManagedJobFactoryService';

export interface EndpointReference {
  Address: string;
  ReferenceParameters: { JobKey: string };
}

const JOB_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function jobEndpoint(baseUrl: string, jobKey: string) {
  const address = `${baseUrl}/wsrf/services/${JOB_SERVICE}`;
  return {
    reference: { Address: address, ReferenceParameters: { JobKey: jobKey } },
    contact: `${address}?job=${jobKey}`,
  };
}

/** Checks the shape of a job key before it is used in a Redis key. */
export function checkJobKey(value: unknown): string {
  if (typeof value !== 'string' || !JOB_KEY.test(value)) {
    throw gramError('GRAM_JOB_NOT_FOUND', `there is no job with the key ${JSON.stringify(value ?? '')}`);
  }
  return value;
}
