/**
 * The one internal job: what every front door (RSL, GT4 job description, JSDL) normalises to,
 * and what the broker and the site agents pass along. Plain data, JSON-safe, so it can ride in
 * a BullMQ job and a Redis hash unchanged.
 */

/** GRAM job states, in the order a job normally passes through them. */
export const GRAM_STATES = [
  'Unsubmitted',
  'StageIn',
  'Pending',
  'Active',
  'Suspended',
  'StageOut',
  'CleanUp',
  'Done',
  'Failed',
] as const;
export type GramState = (typeof GRAM_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<GramState> = new Set(['Done', 'Failed']);

export function isGramState(value: string): value is GramState {
  return (GRAM_STATES as readonly string[]).includes(value);
}

/** What to run. Every field is checked before it is accepted; nothing here ever meets a shell. */
export interface JobSpec {
  /** Absolute path (or a name looked up on the site's PATH) of the program. */
  readonly executable: string;
  /** The argument vector, passed as is: no word splitting or globbing happens at the site. */
  readonly arguments: readonly string[];
  /** Extra environment variables for the job. */
  readonly environment: Readonly<Record<string, string>>;
  /** Working directory; when absent the site makes a fresh one per job. */
  readonly directory?: string;
  /** File on the site to feed to standard input. */
  readonly stdin?: string;
  /**
   * File on the site that receives the job's standard output (GRAM `stdout`), when given.
   * Independent of the bounded tail that `JobRecord.stdout` captures for the user.
   */
  readonly stdout?: string;
  /** File on the site that receives the job's standard error (GRAM `stderr`), when given. */
  readonly stderr?: string;
  /** Number of processes/slots the job needs (GRAM `count`). */
  readonly count: number;
  /** Wall-clock limit in minutes (GRAM `maxWallTime`), when given. */
  readonly maxWallTime?: number;
  /** Memory limit in MB (GRAM `maxMemory`), when given. */
  readonly maxMemory?: number;
  /** The site queue (GRAM `queue`), when given. */
  readonly queue?: string;
  /** VO the job runs for (`project` in RSL), when given. */
  readonly project?: string;
  /** Matchmaking expressions, kept as text until the broker parses them. */
  readonly requirements?: string;
  readonly rank?: string;
  // Economic brokering (Nimrod-G/Gridbus style), all optional.
  /** Most the job may cost, in the grid's accounting unit (price per CPU-hour × CPUs × hours). */
  readonly budget?: number;
  /** ISO 8601 time by which the job should be done (RSL gives minutes from submission or a time). */
  readonly deadline?: string;
  /** What the broker optimises among the sites that meet budget and deadline. */
  readonly optimise?: 'cost' | 'time';
  /**
   * The DelegationService delegation whose proxy the site hands the job (`X509_USER_PROXY`),
   * when the job was submitted with a delegatedCredentialEpr.
   */
  readonly delegationId?: string;
}

/** One entry of a job's state history. */
export interface JobHistoryEntry {
  readonly state: GramState;
  /** ISO 8601 time of the change. */
  readonly at: string;
  /** Which process saw it: `gram`, `broker`, `site:<name>`. */
  readonly by: string;
  /** Why, in words (e.g. "placed on alpha: 3 of 4 slots free"). */
  readonly reason?: string;
}

/** Where a job ran and how it ended: what a state change may record besides the state. */
export interface JobOutcome {
  site?: string;
  exitCode?: number;
  /** Error code and message when the job failed (the GRAM "failure reason"). */
  failureCode?: string;
  failureMessage?: string;
  /** Captured standard output and error (bounded; the tail is kept when longer). */
  stdout?: string;
  stderr?: string;
  /** Host and process group of the running program, so a re-run never overlaps an orphan. */
  host?: string;
  processGroup?: number;
  // Execution phase (broker monitoring and accounting); absent on jobs placed only once.
  /** How many placements the job has had, counting the current one (absent: 1). */
  attempts?: number;
  /** Sites that lost the job earlier; the broker does not place it there again. */
  excludedSites?: readonly string[];
  /** Price per CPU-hour of the site the job was placed on, as published at placement. */
  pricePerCpuHour?: number;
}

/** A job as Redis holds it. */
export interface JobRecord extends Readonly<JobOutcome> {
  readonly id: string;
  /** Globus-style DN of the end entity that submitted it, e.g. `/O=Grid/OU=Weft/CN=Dev User`. */
  readonly owner: string;
  readonly spec: JobSpec;
  readonly state: GramState;
  readonly submittedAt: string;
  readonly history: readonly JobHistoryEntry[];
}
