/** `weft globus-job-submit CONTACT [options] EXECUTABLE [ARGS…]`: submit, print the job contact. */
import type { CliContext } from '../cli-context.ts';
import { parseResourceContact } from '../contact.ts';
import { createJob } from '../gram-client.ts';
import { delegateForJob, takeDelegateFlag } from './delegate-flag.ts';
import { parseJobCommandLine } from './job-command-line.ts';

export async function globusJobSubmit(args: readonly string[], cli: CliContext): Promise<number> {
  const { args: jobArgs, delegate, renewFrom } = takeDelegateFlag(args);
  const { contact, rsl } = parseJobCommandLine('globus-job-submit', jobArgs);
  const resource = parseResourceContact(contact);
  const credentials = await cli.credentials();
  const epr = delegate ? await delegateForJob(resource.baseUrl, credentials, cli, renewFrom) : undefined;
  const created = await createJob(resource.factoryUrl, rsl, credentials, epr);
  cli.output.result(created.jobContact);
  return 0;
}
