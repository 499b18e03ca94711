/**
 * Reading what Slurm says about a job: `squeue --format=%i|%T` lines and `scontrol show job
 * --oneliner` records (JobState, ExitCode "code:signal", Reason), and which states are ends.
 */

export interface SlurmJobState {
  readonly id: string;
  /** JobState, e.g. PENDING, RUNNING, COMPLETED, TIMEOUT. */
  readonly state: string;
  /** From ExitCode "N:S" (scontrol only): N, the batch script's exit code, and S, its signal. */
  readonly exitCode?: number;
  readonly signal?: number;
  /** Why it waits or ended (scontrol only), e.g. Resources, NonZeroExitCode, TimeLimit. */
  readonly reason?: string;
}

/** States a job does not leave (slurm.h `JOB_END` and after), as squeue and scontrol spell them. */
export const SLURM_END_STATES: ReadonlySet<string> = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
]);

/** States in which the batch script is (or was just) running on a node. */
export const SLURM_RUNNING_STATES: ReadonlySet<string> = new Set([
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'STOPPED',
  'SIGNALING',
  'STAGE_OUT',
]);

/** `squeue --noheader --format=%i|%T` output: job id to state. */
export function parseSqueue(output: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\|([A-Z_]+)\s*$/.exec(line);
    if (match?.[1] && match[2]) states.set(match[1], match[2]);
  }
  return states;
}

/**
 * One `scontrol show job <id> --oneliner` record. The fields are read from the start of the
 * record, where Slurm puts them before any user-chosen text (names, paths). A job id of an
 * array or het job (`123_4`, `123+0`) is not ours and not expected.
 */
export function parseScontrolJob(output: string): SlurmJobState | undefined {
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S*)`).exec(output)?.[1];
  const id = field('JobId');
  const state = field('JobState');
  if (!id || !/^\d+$/.test(id) || !state) return undefined;
  const exit = /^(\d+):(\d+)$/.exec(field('ExitCode') ?? '');
  const reason = field('Reason');
  return {
    id,
    state,
    ...(exit?.[1] && exit[2] ? { exitCode: Number(exit[1]), signal: Number(exit[2]) } : {}),
    ...(reason && reason !== 'None' ? { reason } : {}),
  };
}

/** Whether a Slurm client's error says the job id is unknown (purged after MinJobAge, or never was). */
export function isUnknownJobError(stderr: string): boolean {
  return /Invalid job id specified/i.test(stderr);
}
