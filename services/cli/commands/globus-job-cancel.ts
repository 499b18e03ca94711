/**
 * `weft globus-job-cancel [-f|-force] [-q|-quiet] JOB_CONTACT`: stop a job. As in GT, it asks
 * for confirmation first, but only when it can (standard input is a terminal) and -f is absent.
 */
import { createInterface } from 'node:readline/promises';
import type { CliContext } from '../cli-context.ts';
import { parseJobContact } from '../contact.ts';
import { cliError } from '../errors.ts';
import { cancelJob } from '../gram-client.ts';

async function confirmed(): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question('Are you sure you want to cancel the job now (Y/N) ? ');
    return /^y/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

export async function globusJobCancel(args: readonly string[], cli: CliContext): Promise<number> {
  const force = args.some((arg) => arg === '-f' || arg === '-force');
  const quiet = args.some((arg) => arg === '-q' || arg === '-quiet');
  const contacts = args.filter((arg) => !['-f', '-force', '-q', '-quiet'].includes(arg));
  if (contacts.length !== 1) throw cliError('CLI_USAGE', 'globus-job-cancel takes one job contact');
  const job = parseJobContact(contacts[0]!);
  if (!force && process.stdin.isTTY && !(await confirmed())) {
    cli.output.result('Cancel aborted.');
    return 0;
  }
  const result = await cancelJob(job.jobServiceUrl, job.jobKey, await cli.credentials());
  const stopped = String(result.cancelled) === 'true';
  if (!quiet) cli.output.result(stopped ? 'Job cancelled.' : `The job had already ended (${result.state.toUpperCase()}).`);
  return 0;
}
