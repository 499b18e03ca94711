/** `weft globus-job-submit CONTACT [options] EXECUTABLE [ARGS…]`: submit, print the job contact. */
import type { CliContext } from '../cli-context.ts';
import { parseResourceContact } from '../contact.ts';
import { createJob } from '../gram-client.ts';
import { parseJobCommandLine } from './job-command-line.ts';

export async function globusJobSubmit(args: readonly string[], cli: CliContext): Promise<number> {
  const { contact, rsl } = parseJobCommandLine('globus-job-submit', args);
  const resource = parseResourceContact(contact);
  const created = await createJob(resource.factoryUrl, rsl, await cli.credentials());
  cli.output.result(created.jobContact);
  return 0;
}
