/**
 * `weft globus-job-run CONTACT [options] EXECUTABLE [ARGS…]`: run a job and wait for it, then
 * print its standard output and error as the program wrote them and exit with its exit code
 * (1 with the reason when the job failed).
 */
import type { CliContext } from '../cli-context.ts';
import { parseJobContact, parseResourceContact } from '../contact.ts';
import { createJob, jobStatusReader } from '../gram-client.ts';
import { delegateForJob, takeDelegateFlag } from './delegate-flag.ts';
import { parseJobCommandLine } from './job-command-line.ts';
import { reportEnd } from './report-end.ts';
import { waitForJob } from './wait-for-job.ts';

export async function globusJobRun(args: readonly string[], cli: CliContext): Promise<number> {
  const { args: jobArgs, delegate, renewFrom } = takeDelegateFlag(args);
  const { contact, rsl } = parseJobCommandLine('globus-job-run', jobArgs);
  const resource = parseResourceContact(contact);
  const credentials = await cli.credentials();
  const epr = delegate ? await delegateForJob(resource.baseUrl, credentials, cli, renewFrom) : undefined;
  cli.output.progress('submitting …');
  const created = await createJob(resource.factoryUrl, rsl, credentials, epr);
  const job = parseJobContact(created.jobContact);
  const read = await jobStatusReader(job.jobServiceUrl, credentials);
  const status = await waitForJob(read, job.jobKey, cli.output);
  return reportEnd(status, cli.output);
}
