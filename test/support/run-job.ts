/** Submits RSL through the real SOAP client and waits (bounded) for the job to end. */
import { createJob, jobStatusReader, type ClientCredentials, type JobStatus } from '../../services/cli/gram-client.ts';
import { parseJobContact } from '../../services/cli/contact.ts';

export async function submit(baseUrl: string, rsl: string, credentials: ClientCredentials) {
  const created = await createJob(`${baseUrl}/wsrf/services/ManagedJobFactoryService`, rsl, credentials);
  return parseJobContact(created.jobContact);
}

export async function waitUntilEnded(
  baseUrl: string,
  jobKey: string,
  credentials: ClientCredentials,
  timeoutMs = 20_000,
): Promise<JobStatus> {
  const read = await jobStatusReader(`${baseUrl}/wsrf/services/ManagedJobService`, credentials);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await read(jobKey);
    if (status.state === 'Done' || status.state === 'Failed') return status;
    if (Date.now() > deadline) throw new Error(`job ${jobKey} still ${status.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function runToEnd(baseUrl: string, rsl: string, credentials: ClientCredentials) {
  const job = await submit(baseUrl, rsl, credentials);
  return waitUntilEnded(baseUrl, job.jobKey, credentials);
}
