/**
 * `weft globus-job-status [--json] JOB_CONTACT`: the job's state in capitals, as GT prints it
 * (PENDING, ACTIVE, DONE, FAILED…); with --json, the whole status with its history. When the
 * job is held for its delegated credential, or that proxy runs short, a warning line goes to
 * stderr (stdout stays the one word scripts read) and --json carries `credentialWarning`.
 */
import type { CliContext } from '../cli-context.ts';
import { parseJobContact } from '../contact.ts';
import { cliError } from '../errors.ts';
import { jobStatusReader } from '../gram-client.ts';

export async function globusJobStatus(args: readonly string[], cli: CliContext): Promise<number> {
  const json = args.includes('--json');
  const contacts = args.filter((arg) => arg !== '--json');
  if (contacts.length !== 1) throw cliError('CLI_USAGE', 'globus-job-status takes one job contact');
  const job = parseJobContact(contacts[0]!);
  const read = await jobStatusReader(job.jobServiceUrl, await cli.credentials());
  const status = await read(job.jobKey);
  if (json) {
    const { history, ...rest } = status;
    cli.output.result(JSON.stringify({ ...rest, history: history?.entry ?? [] }, null, 2));
  } else {
    cli.output.result(status.state.toUpperCase());
  }
  if (status.credentialWarning) cli.output.passthrough('stderr', `weft: warning: ${status.credentialWarning}\n`);
  return 0;
}
