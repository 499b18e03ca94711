/**
 * `weft globusrun`, with GT's flags:
 *   globusrun [-q] [-o] -r CONTACT (-f FILE | RSL)   submit, print each state as GT does
 *                                                    (GLOBUS_GRAM_PROTOCOL_JOB_STATE_…), with -o
 *                                                    the job's output; exit 0 when it is Done
 *   globusrun -b -r CONTACT (-f FILE | RSL)          submit and print the job contact only
 *   globusrun -status JOB_CONTACT                    print the state (PENDING, ACTIVE, DONE…)
 *   globusrun -k JOB_CONTACT                         cancel the job
 *   globusrun -p (-f FILE | RSL)                     only check the description, here, without a grid
 * `-s` is taken as `-o` (there is no GASS server to stream to). The file may hold RSL, a GT4 job
 * description (`<job>…</job>`, as GT4's `globusrun-ws -submit -f job.xml` took) or a JSDL 1.0
 * document: it goes to the container as written, which reads whichever it is.
 */
import { readFile } from 'node:fs/promises';
import { readJobDescription } from '../../gram/index.ts';
import type { CliContext } from '../cli-context.ts';
import { parseJobContact, parseResourceContact } from '../contact.ts';
import { cliError } from '../errors.ts';
import { cancelJob, createJob, jobStatusReader } from '../gram-client.ts';
import { reportEnd } from './report-end.ts';
import { waitForJob } from './wait-for-job.ts';

interface GlobusrunArgs {
  batch: boolean;
  quiet: boolean;
  output: boolean;
  parseOnly: boolean;
  contact?: string;
  file?: string;
  status?: string;
  kill?: string;
  rsl?: string;
}

const VALUE_FLAGS = new Set(['-r', '-resource', '-f', '-file', '-status', '-k', '-kill']);

function parseArgs(args: readonly string[]): GlobusrunArgs {
  const parsed: GlobusrunArgs = { batch: false, quiet: false, output: false, parseOnly: false };
  const rest: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (VALUE_FLAGS.has(arg)) {
      const value = args[++index];
      if (value === undefined) throw cliError('CLI_USAGE', `globusrun ${arg} needs a value`);
      if (arg === '-r' || arg === '-resource') parsed.contact = value;
      else if (arg === '-f' || arg === '-file') parsed.file = value;
      else if (arg === '-status') parsed.status = value;
      else parsed.kill = value;
    } else if (arg === '-b' || arg === '-batch') parsed.batch = true;
    else if (arg === '-q' || arg === '-quiet') parsed.quiet = true;
    else if (arg === '-o' || arg === '-s' || arg === '-output-enable' || arg === '-server') parsed.output = true;
    else if (arg === '-p' || arg === '-parse') parsed.parseOnly = true;
    else if (arg.startsWith('-') && arg !== '-') throw cliError('CLI_USAGE', `globusrun does not know the flag ${arg}`);
    else rest.push(arg);
  }
  if (rest.length > 1) throw cliError('CLI_USAGE', 'globusrun takes one RSL string (quote it) or -f FILE');
  parsed.rsl = rest[0];
  return parsed;
}

/** The job description, RSL or XML, exactly as written in the file or the argument. */
async function descriptionOf(args: GlobusrunArgs): Promise<string> {
  if (args.file !== undefined && args.rsl !== undefined) {
    throw cliError('CLI_USAGE', 'give the job either with -f FILE or as an RSL argument, not both');
  }
  if (args.file !== undefined) {
    try {
      return await readFile(args.file, 'utf8');
    } catch (error) {
      throw cliError('CLI_USAGE', `cannot read the job description file ${args.file} (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
  }
  if (args.rsl === undefined) throw cliError('CLI_USAGE', 'globusrun needs the job: -f FILE or an RSL string');
  return args.rsl;
}

const gtState = (state: string) => `GLOBUS_GRAM_PROTOCOL_JOB_STATE_${state.toUpperCase()}`;

export async function globusrun(argv: readonly string[], cli: CliContext): Promise<number> {
  const args = parseArgs(argv);
  if (args.status !== undefined) {
    const job = parseJobContact(args.status);
    const read = await jobStatusReader(job.jobServiceUrl, await cli.credentials());
    cli.output.result((await read(job.jobKey)).state.toUpperCase());
    return 0;
  }
  if (args.kill !== undefined) {
    const job = parseJobContact(args.kill);
    await cancelJob(job.jobServiceUrl, job.jobKey, await cli.credentials());
    return 0;
  }
  const description = await descriptionOf(args);
  if (args.parseOnly) {
    const { format } = readJobDescription(description);
    cli.output.result(format === 'rsl' ? 'RSL Parsed Successfully...' : 'Job Description Parsed Successfully...');
    return 0;
  }
  if (args.contact === undefined) throw cliError('CLI_USAGE', 'globusrun needs -r CONTACT, e.g. -r https://localhost:8443');
  const resource = parseResourceContact(args.contact);
  const credentials = await cli.credentials();
  const created = await createJob(resource.factoryUrl, description, credentials);
  if (args.batch) {
    cli.output.result(created.jobContact);
    return 0;
  }
  if (!args.quiet) cli.output.result('GRAM Job submission successful');
  const job = parseJobContact(created.jobContact);
  const read = await jobStatusReader(job.jobServiceUrl, credentials);
  const status = await waitForJob(read, job.jobKey, cli.output, (state) => {
    if (!args.quiet && state !== 'Unsubmitted') cli.output.result(gtState(state));
  });
  if (args.output) return reportEnd(status, cli.output);
  if (status.state === 'Failed') return reportEnd({ ...status, stdout: undefined, stderr: undefined }, cli.output);
  return 0;
}
