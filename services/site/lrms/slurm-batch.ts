/**
 * What a Weft job becomes for Slurm: the files in its working directory (a fixed batch script
 * whose `#!` line runs our job runner, and the job's environment as JSON) and the sbatch
 * argument vector. Nothing here meets a shell: sbatch is exec'd with this vector, and the
 * program's own arguments ride as the batch script's arguments, which Slurm passes verbatim.
 */
import { writeNewJobFile } from '../job-files.ts';
import { join, resolve } from 'node:path';
import type { JobSpec } from '../../common/job.ts';
import { siteError } from '../errors.ts';

/** Files the adapter and the job runner (slurm-job-runner.mjs) share in the job's work dir. */
export const SLURM_FILES = {
  batchScript: 'slurm-batch',
  job: 'slurm-job.json',
  /** Written by the runner once the program has started. */
  started: 'slurm-started',
  /** Written by the runner when the program ended or could not start. */
  exit: 'slurm-exit.json',
  stdout: 'stdout',
  stderr: 'stderr',
} as const;

export const JOB_RUNNER = resolve(import.meta.dirname, 'slurm-job-runner.mjs');

/** Linux reads at most this many bytes of a `#!` line (BINPRM_BUF_SIZE, kernel 5.1 and later). */
const SHEBANG_LIMIT = 255;

/**
 * Where the Slurm job id of a job's latest submission is kept, so that a re-run cancels it first:
 * beside the working directory, not in it, because the working directory may belong to the
 * account the job runs as, and the agent (root) must not scancel an id that account wrote.
 */
export function slurmJobIdFile(workDir: string): string {
  return `${workDir}.slurm-job-id`;
}

/** The local account a job runs as when it is not the agent's own (authz/job-account.ts). */
export interface BatchAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export interface SbatchOptions {
  readonly jobId: string;
  /** Partition used when the job names no queue; empty: Slurm's default partition. */
  readonly partition: string;
  /** Submit on behalf of this account (`--uid/--gid`, which Slurm allows root only). */
  readonly account?: BatchAccount;
}

/** The batch script: one `#!` line (Linux passes its one argument, the runner, to node). */
export function batchScript(nodePath: string = process.execPath, runner: string = JOB_RUNNER): string {
  const line = `#!${nodePath} ${runner}`;
  if (/\s/.test(nodePath) || /[\n\r]/.test(runner) || Buffer.byteLength(line) > SHEBANG_LIMIT) {
    throw new Error(`the Slurm batch script line "${line}" cannot be a #! line: node's path must have no spaces and the line at most ${SHEBANG_LIMIT} bytes`);
  }
  return `${line}\n# A Weft job: ${runner} runs the program named in this script's arguments.\n`;
}

/**
 * The Slurm job name of a Weft job: the whole job id, so that a re-run can find an earlier
 * submission by name even when the agent died before it wrote the Slurm job id down.
 */
export function slurmJobName(jobId: string): string {
  return `weft-${jobId}`;
}

/**
 * The sbatch argument vector. GRAM's `count` is the number of CPUs the job's one program gets
 * (`--ntasks=1 --cpus-per-task=count`), as the fork LRMS runs one program for any count.
 */
export function sbatchArguments(spec: JobSpec, workDir: string, options: SbatchOptions): string[] {
  // Slurm expands %-patterns in -o/-e file names; a backslash would turn them all off.
  if (/[%\\]/.test(workDir)) {
    throw siteError('SITE_SLURM_SUBMIT_FAILED', `the job's working directory ${workDir} has a % or \\ in it, which Slurm reads as a file-name pattern`);
  }
  const partition = spec.queue ?? options.partition;
  return [
    '--parsable',
    `--job-name=${slurmJobName(options.jobId)}`,
    `--chdir=${workDir}`,
    `--output=${join(workDir, SLURM_FILES.stdout)}`,
    `--error=${join(workDir, SLURM_FILES.stderr)}`,
    // The job's environment is in slurm-job.json; none of the agent's reaches the job.
    '--export=NONE',
    '--ntasks=1',
    `--cpus-per-task=${spec.count}`,
    ...(spec.maxWallTime === undefined ? [] : [`--time=${spec.maxWallTime}`]),
    ...(spec.maxMemory === undefined ? [] : [`--mem=${spec.maxMemory}M`]),
    ...(partition ? [`--partition=${partition}`] : []),
    ...(options.account ? [`--uid=${options.account.uid}`, `--gid=${options.account.gid}`] : []),
    join(workDir, SLURM_FILES.batchScript),
    // The batch script's own arguments (after the script, sbatch reads no more options).
    workDir,
    spec.executable,
    ...spec.arguments,
  ];
}

/** What the runner reads from slurm-job.json. */
export interface RunnerJob {
  readonly baseEnvironment: Readonly<Record<string, string>>;
  readonly environment: Readonly<Record<string, string>>;
  readonly directory?: string;
  readonly stdin?: string;
}

export function runnerJob(spec: JobSpec, workDir: string, jobId: string, account?: BatchAccount): RunnerJob {
  return {
    // As the fork LRMS gives its jobs (fork.ts); Slurm's SLURM_* variables are added by the runner.
    baseEnvironment: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: workDir, LANG: 'C.UTF-8', GRAM_JOB_ID: jobId },
    // Who the job runs as is the site's to say, not the job's: after the job's own variables.
    environment: { ...spec.environment, ...(account ? { USER: account.name, LOGNAME: account.name } : {}) },
    ...(spec.directory === undefined ? {} : { directory: spec.directory }),
    // The runner opens stdin itself: Slurm's --input would expand %-patterns in the name.
    ...(spec.stdin === undefined ? {} : { stdin: join(workDir, spec.stdin) }),
  };
}

/**
 * Writes the batch script (read by sbatch, as the agent) and slurm-job.json (read by the runner,
 * as the job's account) into the job's work dir. Created exclusively, never through a link, and
 * given to the account through the open file: a work dir that belongs to the job's account may
 * hold links planted there, and the agent (root) must not write or chown through them.
 */
export async function writeBatchFiles(spec: JobSpec, workDir: string, jobId: string, account?: BatchAccount): Promise<void> {
  const script = join(workDir, SLURM_FILES.batchScript);
  const job = join(workDir, SLURM_FILES.job);
  await writeNewJobFile(script, batchScript());
  await writeNewJobFile(job, JSON.stringify(runnerJob(spec, workDir, jobId, account)), account);
}
