/**
 * Runs one job on this site, reporting each GRAM state change: StageIn (a fresh working
 * directory), Active (the program started), StageOut (output collected), then Done with the
 * exit code or Failed with the reason. The job's slot reservation is given back at the end,
 * whatever happened.
 */
import { chmod, chown, lstat, mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isGridError } from '../common/errors.ts';
import type { JobStore } from '../common/job-store.ts';
import { TERMINAL_STATES, type JobRecord } from '../common/job.ts';
import type { Logger } from '../common/logger.ts';
import { delegationError, type DelegatedCredential } from '../delegation/index.ts';
import { formatProxyFile } from '../gsi/index.ts';
import type { SiteRegistry } from '../common/site-registry.ts';
import { gramError } from '../gram/index.ts';
import { readTail } from './collect-output.ts';
import type { JobAccount } from './authz/job-account.ts';
import { createJobFile, writeNewJobFile } from './job-files.ts';
import { keepJobProxyFresh } from './refresh-job-proxy.ts';
import { siteError } from './errors.ts';
import type { Lrms } from './lrms/lrms.ts';

export interface RunJobDeps {
  readonly site: string;
  readonly jobs: JobStore;
  readonly sites: SiteRegistry;
  readonly lrms: Lrms;
  readonly workRoot: string;
  readonly outputLimitBytes: number;
  readonly logger: Logger;
  /** Fetches (and decrypts) a job's delegated proxy; absent: jobs naming one fail. */
  readonly delegatedCredential?: (delegationId: string) => Promise<DelegatedCredential>;
  /**
   * The local account a job of this owner runs as (the site's grid-mapfile), or undefined: the
   * agent's own user. Throws the GridError that fails the job when the owner may not run here.
   * Absent: every job runs as the agent's user.
   */
  readonly accountFor?: (owner: string) => Promise<JobAccount | undefined>;
}

/** The file a job's delegated proxy is written to, in its working directory. */
export const JOB_PROXY_FILE = 'x509up';

/** The files every LRMS sends the program's standard output and error to, in its working directory. */
const JOB_OUTPUT_FILES = ['stdout', 'stderr'] as const;

/** Why the `signal` given to runJob was aborted. */
export const CANCELLED = 'cancelled';
export const AGENT_STOPPING = 'agent-stopping';

export async function runJob(deps: RunJobDeps, jobId: string, signal: AbortSignal): Promise<void> {
  const by = `site:${deps.site}`;
  const logger = deps.logger.child({ jobId });
  const job = await deps.jobs.get(jobId);
  if (!job || TERMINAL_STATES.has(job.state)) {
    await deps.sites.release(deps.site, jobId);
    return;
  }
  stopEarlierRun(job, logger);
  let stoppingAgent = false;
  try {
    // Who the job runs as is settled before anything is made for it: a refused owner never runs.
    const account = await deps.accountFor?.(job.owner);
    // False means the job ended meanwhile (cancelled): nothing to run.
    if (!(await deps.jobs.transition(jobId, { state: 'StageIn', by, reason: 'making the working directory', expectedSite: deps.site }))) return;
    const workDir = join(deps.workRoot, jobId);
    const owner = account?.switchUser ? account : undefined;
    try {
      await freshWorkDir(deps.workRoot, workDir);
      // The job's files are made while the directory is still the agent's, so no link the
      // account planted can be there; the directory is given away last (README, "Who a job runs as").
      for (const name of JOB_OUTPUT_FILES) await (await createJobFile(join(workDir, name), owner)).close();
    } catch (error) {
      throw siteError('SITE_WORKDIR_FAILED', `the site could not make ${workDir}: ${String(error)}`);
    }
    const spec = await withDelegatedProxy(deps, job, workDir, owner);
    if (owner) {
      await giveToAccount(workDir, owner);
      logger.info({ account: owner.name, uid: owner.uid, gid: owner.gid }, 'the job runs as a mapped account');
    }

    // A renewed or refreshed delegation reaches the running job (refresh-job-proxy.ts).
    const refresher = deps.delegatedCredential && job.spec.delegationId
      ? keepJobProxyFresh(deps.delegatedCredential, job.spec.delegationId, join(workDir, JOB_PROXY_FILE), logger, owner)
      : undefined;
    // Counted from when the program starts: time spent queued in the LRMS (Slurm) is not run time.
    const wallTimer = wallTimeLimit(job.spec.maxWallTime);
    const cancelled = new AbortController();
    const stop = AbortSignal.any([signal, wallTimer.signal, cancelled.signal]);
    let result;
    try {
      result = await deps.lrms.run(spec, workDir, {
        jobId,
        signal: stop,
        ...(account ? { account } : {}),
        onStarted: (processGroup, lrmsJobId) => {
          wallTimer.start();
          void deps.jobs
            .transition(jobId, {
              state: 'Active',
              by,
              expectedSite: deps.site,
              reason: `started by ${deps.lrms.type}${lrmsJobId === undefined ? '' : ` as job ${lrmsJobId}`}`,
              fields: { host: hostname(), ...(processGroup === undefined ? {} : { processGroup }) },
            })
            // Cancelled while starting, or taken back by the broker: stop it.
            .then((moved) => moved || cancelled.abort());
        },
      });
    } finally {
      wallTimer.clear();
      await refresher?.stop();
      // The delegated proxy lives only as long as the job's program.
      if (spec !== job.spec) await rm(join(workDir, JOB_PROXY_FILE), { force: true });
    }
    if (cancelled.signal.aborted || signal.reason === CANCELLED) return; // already Failed, by cancel
    if (signal.reason === AGENT_STOPPING) {
      // Not the job's fault: it stays placed here, and the broker's monitor sees that this agent
      // let go of it and places it again elsewhere (services/broker/README.md, Monitoring).
      stoppingAgent = true;
      logger.warn('the agent stopped while the job ran; leaving it to the broker to resubmit');
      return;
    }

    if (!(await deps.jobs.transition(jobId, { state: 'StageOut', by, reason: 'collecting output', expectedSite: deps.site }))) {
      return; // the job left this site (resubmitted by the broker) or was cancelled
    }
    let stdout: string;
    let stderr: string;
    try {
      [stdout, stderr] = await Promise.all([
        readTail(result.stdoutPath, deps.outputLimitBytes, owner?.uid),
        readTail(result.stderrPath, deps.outputLimitBytes, owner?.uid),
      ]);
    } catch (error) {
      throw siteError('SITE_OUTPUT_UNREADABLE', `the output of the job could not be read: ${String(error)}`);
    }

    if (wallTimer.signal.aborted || result.wallTimeExceeded) {
      const limit = gramError(
        'GRAM_WALLTIME_EXCEEDED',
        `the job ran longer than its maxWallTime of ${job.spec.maxWallTime} minutes and was killed`,
      );
      await fail(deps, jobId, limit, { stdout, stderr });
      return;
    }
    const exitCode = result.exitCode ?? 128 + signalNumber(result.killedBy);
    // Slots go back before the job is seen to end: brokers wake waiting jobs on that event.
    await deps.sites.release(deps.site, jobId);
    await deps.jobs.transition(jobId, {
      state: 'Done',
      by,
      expectedSite: deps.site,
      reason: result.killedBy ? `killed by ${result.killedBy}` : `exit code ${exitCode}`,
      fields: { exitCode, stdout, stderr },
    });
    logger.info({ exitCode }, 'job done');
  } catch (error) {
    if (!isGridError(error)) logger.error({ err: error }, 'job failed unexpectedly');
    await fail(deps, jobId, error, {});
  } finally {
    // A stopping agent keeps the slot held: the broker releases it when it takes the job back.
    if (!stoppingAgent) await deps.sites.release(deps.site, jobId);
  }
}

/**
 * A job submitted with a delegated credential gets its proxy (certificate, key, chain: the
 * Globus proxy file layout) as `x509up`, mode 0600, in its working directory, and
 * `X509_USER_PROXY` naming it. The job's spec is returned unchanged when there is none.
 */
async function withDelegatedProxy(
  deps: RunJobDeps,
  job: JobRecord,
  workDir: string,
  owner: JobAccount | undefined,
): Promise<JobRecord['spec']> {
  const delegationId = job.spec.delegationId;
  if (!delegationId) return job.spec;
  if (!deps.delegatedCredential) {
    throw delegationError('DELEGATION_UNAVAILABLE', 'this site agent cannot fetch delegated credentials');
  }
  const credential = await deps.delegatedCredential(delegationId);
  const path = join(workDir, JOB_PROXY_FILE);
  // Readable by the account the job runs as, and by nobody else (0600, its owner).
  try {
    await writeNewJobFile(path, formatProxyFile(credential), owner);
  } catch (error) {
    throw siteError('SITE_WORKDIR_FAILED', `the site could not write the job's proxy file ${path}: ${String(error)}`);
  }
  return { ...job.spec, environment: { ...job.spec.environment, X509_USER_PROXY: path } };
}

/** Makes the working directory (0700) the account's own and no one else's. */
async function giveToAccount(workDir: string, account: JobAccount): Promise<void> {
  try {
    await chown(workDir, account.uid, account.gid);
    await chmod(workDir, 0o700);
  } catch (error) {
    throw siteError('SITE_ACCOUNT_SETUP_FAILED', `the site could not give ${workDir} to account ${account.name}: ${String(error)}`, { account: account.name });
  }
}

/**
 * Makes the job's working directory, empty and the agent's own. A re-run finds the earlier run's
 * directory, which may belong to the job's account and hold links it planted: the agent takes it
 * back (so nothing outside can reach in any more) and removes it rather than reuse it. The Slurm
 * adapter's job-id file lives beside the directory, not in it, and so survives.
 */
async function freshWorkDir(workRoot: string, workDir: string): Promise<void> {
  await mkdir(workRoot, { recursive: true, mode: 0o700 });
  const earlier = await lstat(workDir).catch(() => undefined);
  if (earlier) {
    if (earlier.isDirectory() && earlier.uid !== 0 && process.getuid?.() === 0) {
      await chown(workDir, 0, 0);
      await chmod(workDir, 0o700);
    }
    await rm(workDir, { recursive: true, force: true });
  }
  await mkdir(workDir, { mode: 0o700 });
}

/**
 * A job handed out again (its agent died mid-run: BullMQ saw it stall) may still have its first
 * program running, orphaned, on this host. Kill that process group before running the job again,
 * so that a job never runs twice at the same time.
 */
function stopEarlierRun(job: JobRecord, logger: Logger): void {
  if (job.processGroup === undefined || job.host !== hostname()) return;
  try {
    process.kill(-job.processGroup, 'SIGKILL');
    logger.warn({ processGroup: job.processGroup }, 'stopped the orphaned earlier run of this job');
  } catch {
    // Already gone: nothing to stop.
  }
}

async function fail(
  deps: RunJobDeps,
  jobId: string,
  error: unknown,
  output: { stdout?: string; stderr?: string },
): Promise<void> {
  const code = isGridError(error) ? error.code : 'GRAM_JOB_EXECUTION_FAILED';
  await deps.sites.release(deps.site, jobId); // before the ending is announced, as for Done
  const message = error instanceof Error ? error.message : String(error);
  await deps.jobs.transition(jobId, {
    state: 'Failed',
    by: `site:${deps.site}`,
    expectedSite: deps.site,
    reason: message,
    fields: { failureCode: code, failureMessage: message, ...output },
  });
}

/** The job's maxWallTime, counted from start() (the program started) until clear(). */
function wallTimeLimit(minutes: number | undefined) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let cleared = false;
  return {
    signal: controller.signal,
    start: () => {
      if (minutes === undefined || timer !== undefined || cleared) return;
      timer = setTimeout(() => controller.abort(), minutes * 60_000);
    },
    clear: () => {
      cleared = true;
      clearTimeout(timer);
    },
  };
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
function signalNumber(name: string | null): number {
  return (name && SIGNAL_NUMBERS[name]) || 0;
}
