/**
 * The `slurm` LRMS (GRAM's Slurm job manager): submits each job with sbatch into its working
 * directory, learns its state by polling squeue/scontrol, cancels it with scancel. The program
 * is started on the compute node by our job runner (slurm-job-runner.mjs) with its argument
 * vector exactly as submitted; no shell ever sees user input. Slurm's clients find the cluster
 * through the agent's environment (SLURM_CONF, or /etc/slurm/slurm.conf).
 */
import { execFile } from 'node:child_process';
import { access, constants, readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import type { JobSpec } from '../../common/job.ts';
import type { Logger } from '../../common/logger.ts';
import { gramError } from '../../gram/index.ts';
import { readTail } from '../collect-output.ts';
import { siteError } from '../errors.ts';
import type { Lrms, LrmsResult, LrmsRun } from './lrms.ts';
import { SLURM_FILES, sbatchArguments, slurmJobIdFile, slurmJobName, writeBatchFiles, type BatchAccount } from './slurm-batch.ts';
import { createSlurmPoller, type SlurmCommand, type SlurmPoller, type SlurmSighting } from './slurm-poller.ts';
import { SLURM_END_STATES, SLURM_RUNNING_STATES } from './slurm-state.ts';

export interface SlurmLrmsOptions {
  /** Partition for jobs that name no queue; empty: Slurm's default. */
  readonly partition: string;
  readonly pollMs: number;
  readonly logger: Logger;
  /** Runs sbatch, squeue, scontrol, scancel; the real clients by default. */
  readonly command?: SlurmCommand;
}

/** After scancel, how long a job may take to end before it gets SIGKILL. */
const KILL_GRACE_MS = 3000;
/** How long a stopped job may stay unseen as ended before the agent stops waiting for Slurm. */
const GIVE_UP_AFTER_STOP_MS = 30_000;

const run = promisify(execFile);
const slurmClient: SlurmCommand = async (command, args) =>
  (await run(command, [...args], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 })).stdout;

/** What the job runner wrote when the program ended or could not start (slurm-exit.json). */
interface RunnerExit {
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  readonly startError?: 'executable' | 'stdin';
  readonly code?: string;
}

/** Bytes of slurm-exit.json read at most: the runner writes a few dozen. */
const RUNNER_EXIT_LIMIT = 64 * 1024;

/**
 * Read as the job's account left it: a regular file of that account's (`ownerUid`, when the job
 * runs as one), never through a link the job planted (collect-output.ts).
 */
async function readRunnerExit(workDir: string, ownerUid: number | undefined): Promise<RunnerExit | undefined> {
  try {
    return JSON.parse(await readTail(join(workDir, SLURM_FILES.exit), RUNNER_EXIT_LIMIT, ownerUid)) as RunnerExit;
  } catch {
    return undefined;
  }
}

async function exists(path: string, mode = constants.F_OK): Promise<boolean> {
  return access(path, mode).then(
    () => true,
    () => false,
  );
}

function notFound(spec: JobSpec, why: string) {
  return gramError('GRAM_EXECUTABLE_NOT_FOUND', `the executable ${spec.executable} ${why}`, { executable: spec.executable });
}

function startFailure(spec: JobSpec, exit: RunnerExit) {
  if (exit.startError === 'stdin') {
    return gramError('GRAM_JOB_EXECUTION_FAILED', `the job's stdin ${spec.stdin ?? ''} could not be opened on the compute node: ${exit.code ?? ''}`);
  }
  if (exit.code === 'ENOENT') return notFound(spec, 'does not exist on this site');
  if (exit.code === 'EACCES') return notFound(spec, 'is not executable on this site (permission denied)');
  return gramError('GRAM_JOB_EXECUTION_FAILED', `the site could not start ${spec.executable}: ${exit.code ?? 'unknown error'}`);
}

export function createSlurmLrms(options: SlurmLrmsOptions): Lrms {
  const command = options.command ?? slurmClient;
  const poller: SlurmPoller = createSlurmPoller(command, options.pollMs, options.logger);

  async function scancel(slurmJobId: string, kill = false) {
    await command('scancel', kill ? ['--signal=KILL', '--full', slurmJobId] : [slurmJobId]).catch((error: unknown) =>
      options.logger.warn({ err: String(error), slurmJobId }, 'scancel failed'),
    );
  }

  /**
   * The Slurm jobs an earlier run of this job left queued or running: the one whose id was written
   * down, and any Slurm still runs under the job's name (the agent may have died between sbatch
   * and writing the id down).
   */
  async function earlierSubmissions(idFile: string, jobId: string): Promise<string[]> {
    const written = (await readFile(idFile, 'utf8').catch(() => '')).trim();
    let named: string;
    try {
      named = await command('squeue', ['--noheader', '--format=%i', `--name=${slurmJobName(jobId)}`]);
    } catch (error) {
      throw siteError('SITE_SLURM_SUBMIT_FAILED', `Slurm could not be asked about earlier submissions of this job: ${String(error)}`);
    }
    const ids = new Set(named.split('\n').map((line) => line.trim()).filter((line) => /^\d+$/.test(line)));
    if (/^\d+$/.test(written)) ids.add(written);
    return [...ids];
  }

  /**
   * A job handed to this agent again (its earlier agent died) may still have its first
   * submission queued or running: cancel that one and wait (bounded) until Slurm has ended it.
   */
  async function stopEarlierSubmission(workDir: string, jobId: string, logger: Logger) {
    const idFile = slurmJobIdFile(workDir);
    for (const earlier of await earlierSubmissions(idFile, jobId)) {
      const deadline = Date.now() + GIVE_UP_AFTER_STOP_MS;
      const look = () =>
        poller.look(earlier).catch((error: unknown) => {
          throw siteError('SITE_SLURM_SUBMIT_FAILED', `Slurm could not be asked about the earlier submission ${earlier} of this job: ${String(error)}`);
        });
      let seen: SlurmSighting = await look();
      if (!SLURM_END_STATES.has(seen.state) && seen.state !== 'gone') {
        await scancel(earlier);
        logger.warn({ slurmJobId: earlier }, 'cancelled the earlier Slurm submission of this job');
        while (!SLURM_END_STATES.has(seen.state) && seen.state !== 'gone') {
          if (Date.now() > deadline) {
            throw siteError('SITE_SLURM_SUBMIT_FAILED', `the earlier submission ${earlier} of this job is still in Slurm (${seen.state}) after scancel; not submitting it twice`);
          }
          await new Promise((resolve) => setTimeout(resolve, options.pollMs));
          seen = await look();
        }
      }
    }
    await rm(idFile, { force: true });
    for (const file of [SLURM_FILES.batchScript, SLURM_FILES.job, SLURM_FILES.started, SLURM_FILES.exit]) {
      await rm(join(workDir, file), { force: true });
    }
  }

  async function submit(spec: JobSpec, workDir: string, jobId: string, account: BatchAccount | undefined): Promise<string> {
    await writeBatchFiles(spec, workDir, jobId, account);
    let output: string;
    try {
      output = await command('sbatch', sbatchArguments(spec, workDir, { jobId, partition: options.partition, ...(account ? { account } : {}) }));
    } catch (error) {
      const said = ((error as { stderr?: string }).stderr ?? String(error)).trim().replace(/^sbatch: error: /gm, '');
      throw siteError('SITE_SLURM_SUBMIT_FAILED', `Slurm did not take the job: ${said}`);
    }
    // --parsable prints "<id>" or "<id>;<cluster>".
    const slurmJobId = /^(\d+)(;\S+)?\s*$/.exec(output)?.[1];
    if (!slurmJobId) throw siteError('SITE_SLURM_SUBMIT_FAILED', `sbatch answered "${output.trim()}" instead of a job id`);
    await writeFile(slurmJobIdFile(workDir), `${slurmJobId}\n`, { mode: 0o600 });
    return slurmJobId;
  }

  return {
    type: 'slurm',
    async run(spec, workDir, runArgs: LrmsRun): Promise<LrmsResult> {
      const logger = options.logger.child({ jobId: runArgs.jobId });
      await stopEarlierSubmission(workDir, runArgs.jobId, logger);
      // Sites share their file system with the nodes: a missing program is caught before Slurm
      // is troubled (the runner checks again on the node, and for names looked up on PATH).
      if (isAbsolute(spec.executable)) {
        if (!(await exists(spec.executable))) throw notFound(spec, 'does not exist on this site');
        if (!(await exists(spec.executable, constants.X_OK))) throw notFound(spec, 'is not executable on this site (permission denied)');
      }
      const stdoutPath = join(workDir, SLURM_FILES.stdout);
      const stderrPath = join(workDir, SLURM_FILES.stderr);
      // Stopped before it reached Slurm (cancelled while the directory was made): nothing to submit.
      if (runArgs.signal.aborted) return { exitCode: null, killedBy: 'SIGTERM', stdoutPath, stderrPath };
      // A mapped account (the site's grid-mapfile, agent running as root): Slurm runs it as that account.
      const account = runArgs.account?.switchUser ? runArgs.account : undefined;
      const slurmJobId = await submit(spec, workDir, runArgs.jobId, account);
      logger.info({ slurmJobId }, 'submitted to Slurm');

      return new Promise<LrmsResult>((resolve, reject) => {
        let started = false;
        let settled = false;
        const timers: NodeJS.Timeout[] = [];
        const markStarted = () => {
          if (started) return;
          started = true;
          runArgs.onStarted(undefined, slurmJobId); // the process group is on the node, not ours
        };
        const finish = (outcome: LrmsResult | Error) => {
          if (settled) return;
          settled = true;
          unwatch();
          for (const timer of timers) clearTimeout(timer);
          runArgs.signal.removeEventListener('abort', stop);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        };
        const ended = async (seen: SlurmSighting) => {
          const exit = await readRunnerExit(workDir, account?.uid);
          if (exit?.startError) return finish(startFailure(spec, exit));
          const ran = exit !== undefined || (await exists(join(workDir, SLURM_FILES.started)));
          if (ran) markStarted();
          const fromRunner = exit && { exitCode: exit.exitCode ?? null, killedBy: exit.signal ?? null };
          const base = { stdoutPath, stderrPath };
          if (runArgs.signal.aborted) return finish({ exitCode: null, killedBy: 'SIGTERM', ...fromRunner, ...base });
          if (seen.state === 'TIMEOUT') {
            return finish({ exitCode: null, killedBy: 'SIGTERM', ...fromRunner, ...base, wallTimeExceeded: true });
          }
          if (seen.state === 'gone') {
            if (fromRunner) return finish({ ...fromRunner, ...base });
            return finish(siteError('SITE_SLURM_JOB_LOST', `Slurm forgot job ${slurmJobId} before the site saw it end, and it left no exit status`));
          }
          if ((seen.state === 'COMPLETED' || seen.state === 'FAILED') && fromRunner) return finish({ ...fromRunner, ...base });
          if (seen.state === 'COMPLETED' && 'exitCode' in seen && seen.exitCode !== undefined) {
            return finish({ exitCode: seen.exitCode, killedBy: null, ...base });
          }
          const reason = 'reason' in seen && seen.reason ? ` (${seen.reason})` : '';
          return finish(gramError('GRAM_JOB_EXECUTION_FAILED', `Slurm ended job ${slurmJobId} as ${seen.state}${reason} before the program finished`));
        };
        const unwatch = poller.watch(slurmJobId, (seen) => {
          if (settled) return;
          if (SLURM_RUNNING_STATES.has(seen.state) && !started) {
            void exists(join(workDir, SLURM_FILES.started)).then((yes) => yes && !settled && markStarted());
          }
          if (SLURM_END_STATES.has(seen.state) || seen.state === 'gone') {
            ended(seen).catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
          }
        });
        function stop() {
          void scancel(slurmJobId);
          timers.push(setTimeout(() => void scancel(slurmJobId, true), KILL_GRACE_MS));
          timers.push(
            setTimeout(() => {
              logger.warn({ slurmJobId }, 'Slurm did not report the stopped job as ended; no longer waiting for it');
              finish({ exitCode: null, killedBy: 'SIGKILL', stdoutPath, stderrPath });
            }, GIVE_UP_AFTER_STOP_MS),
          );
        }
        if (runArgs.signal.aborted) stop();
        else runArgs.signal.addEventListener('abort', stop, { once: true });
      });
    },
  };
}
