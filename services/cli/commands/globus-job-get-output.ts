/** `weft globus-job-get-output JOB_CONTACT`: the job's standard output (and error, to stderr). */
import type { CliContext } from '../cli-context.ts';
import { parseJobContact } from '../contact.ts';
import { cliError } from '../errors.ts';
import { jobStatusReader } from '../gram-client.ts';

export async function globusJobGetOutput(args: readonly string[], cli: CliContext): Promise<number> {
  if (args.length !== 1) throw cliError('CLI_USAGE', 'globus-job-get-output takes one job contact');
  const job = parseJobContact(args[0]!);
  const read = await jobStatusReader(job.jobServiceUrl, await cli.credentials());
  const status = await read(job.jobKey);
  if (status.stdout) cli.output.passthrough('stdout', status.stdout);
  if (status.stderr) cli.output.passthrough('stderr', status.stderr);
  return 0;
}
