/**
 * The shape every local resource manager adapter has (as in GRAM's job manager scripts):
 * submit a job into a prepared working directory, learn when it ends, cancel it.
 */
import type { JobSpec } from '../../common/job.ts';
import type { JobAccount } from '../authz/job-account.ts';

export interface LrmsRun {
  readonly jobId: string;
  /**
   * Called once the program has actually started (GRAM `Active`), with its process group id
   * when it runs on this host, and the LRMS's own job id when it has one (Slurm's).
   */
  readonly onStarted: (processGroup?: number, lrmsJobId?: string) => void;
  /** Aborted when the job must stop (cancel or wall time). */
  readonly signal: AbortSignal;
  /** The local account the job runs as (the site's grid-mapfile); absent: the agent's own user. */
  readonly account?: JobAccount;
}

export interface LrmsResult {
  /** Exit status of the program; null when it was killed by a signal. */
  readonly exitCode: number | null;
  readonly killedBy: string | null;
  /** Files in the working directory holding standard output and error. */
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /** The LRMS itself stopped the program at the job's wall-time limit (Slurm's TIMEOUT). */
  readonly wallTimeExceeded?: boolean;
}

export interface Lrms {
  readonly type: string;
  run(spec: JobSpec, workDir: string, run: LrmsRun): Promise<LrmsResult>;
}
