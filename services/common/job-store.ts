/**
 * Jobs live in Redis, the one source of truth: a hash of fields plus a history list per job.
 * Every state change goes through one Lua script, so that two processes racing to move the
 * same job (a site reporting Done while a cancel arrives) cannot undo a terminal state, and the
 * history always agrees with the current state.
 */
import type { RedisClient } from './redis.ts';
import { JOB_CANCEL_CHANNEL, JOB_EVENTS_CHANNEL, jobHistoryKey, jobKey } from './redis-keys.ts';
import {
  isGramState,
  type GramState,
  type JobHistoryEntry,
  type JobOutcome,
  type JobRecord,
  type JobSpec,
} from './job.ts';

/** Fields a state change may set alongside the state. */
export type JobResultFields = JobOutcome;

export interface JobTransition {
  readonly state: GramState;
  /** Which process makes the change: `gram`, `broker`, `site:<name>`. */
  readonly by: string;
  readonly reason?: string;
  readonly fields?: JobResultFields;
  /**
   * Apply only while the job is placed on this site (its `site` field): a site agent's changes
   * stop applying once the broker has moved the job elsewhere, so a job never runs twice.
   */
  readonly expectedSite?: string;
  /** Apply only while the job's `attempts` is this (absent counts as 1): one mover wins. */
  readonly expectedAttempts?: number;
  /** Fields removed by the change (e.g. `site`, when the broker takes the job back). */
  readonly clear?: readonly (keyof JobResultFields)[];
}

export interface NewJob {
  readonly id: string;
  readonly owner: string;
  readonly spec: JobSpec;
  readonly submittedAt: string;
}

export interface JobStore {
  /** Stores a new job in state `Unsubmitted`; fails if the id exists. */
  create(job: NewJob): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  /**
   * Moves a job to a new state. Returns false, changing nothing, when the job does not exist
   * or is already `Done`/`Failed` (a terminal state is final).
   */
  transition(id: string, change: JobTransition): Promise<boolean>;
  /** Tells whichever site agent runs the job to stop it (the job is already marked Failed). */
  announceCancel(id: string): Promise<void>;
}

/*
 * KEYS[1] job hash, KEYS[2] history list
 * ARGV[1] new state, ARGV[2] history entry (JSON), ARGV[3] events channel, ARGV[4] job id,
 * ARGV[5] expected site ('' = any), ARGV[6] expected attempts ('' = any),
 * ARGV[7] fields to remove (comma-separated, '' = none), ARGV[8..] field/value pairs to set
 */
const TRANSITION_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'state')
if not current then return 0 end
if current == 'Done' or current == 'Failed' then return 0 end
if ARGV[5] ~= '' and redis.call('HGET', KEYS[1], 'site') ~= ARGV[5] then return 0 end
if ARGV[6] ~= '' and (tonumber(redis.call('HGET', KEYS[1], 'attempts')) or 1) ~= tonumber(ARGV[6]) then
  return 0
end
redis.call('HSET', KEYS[1], 'state', ARGV[1])
for field in string.gmatch(ARGV[7], '[^,]+') do
  redis.call('HDEL', KEYS[1], field)
end
for i = 8, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. ARGV[1])
return 1
`;

const RESULT_FIELDS = [
  'site', 'exitCode', 'failureCode', 'failureMessage', 'stdout', 'stderr', 'host', 'processGroup',
  'attempts', 'excludedSites', 'pricePerCpuHour',
] as const;

/** The job store that runs: Redis. */
export function createRedisJobStore(redis: RedisClient): JobStore {
  return {
    async create(job) {
      const first: JobHistoryEntry = { state: 'Unsubmitted', at: job.submittedAt, by: 'gram' };
      const created = await redis.hsetnx(jobKey(job.id), 'state', 'Unsubmitted');
      if (created !== 1) throw new Error(`job id ${job.id} already exists`);
      await redis
        .multi()
        .hset(jobKey(job.id), {
          owner: job.owner,
          spec: JSON.stringify(job.spec),
          submittedAt: job.submittedAt,
        })
        .rpush(jobHistoryKey(job.id), JSON.stringify(first))
        .exec();
    },

    async get(id) {
      const [fields, history] = await Promise.all([
        redis.hgetall(jobKey(id)),
        redis.lrange(jobHistoryKey(id), 0, -1),
      ]);
      if (!fields.state || !fields.spec || !fields.owner) return undefined;
      if (!isGramState(fields.state)) throw new Error(`job ${id} has unknown state ${fields.state}`);
      return {
        id,
        owner: fields.owner,
        spec: JSON.parse(fields.spec) as JobSpec,
        state: fields.state,
        submittedAt: fields.submittedAt ?? '',
        site: fields.site,
        exitCode: fields.exitCode === undefined ? undefined : Number(fields.exitCode),
        failureCode: fields.failureCode,
        failureMessage: fields.failureMessage,
        stdout: fields.stdout,
        stderr: fields.stderr,
        host: fields.host,
        processGroup: fields.processGroup === undefined ? undefined : Number(fields.processGroup),
        ...(fields.attempts === undefined ? {} : { attempts: Number(fields.attempts) }),
        ...(fields.excludedSites ? { excludedSites: fields.excludedSites.split(',') } : {}),
        ...(fields.pricePerCpuHour === undefined ? {} : { pricePerCpuHour: Number(fields.pricePerCpuHour) }),
        history: history.map((entry) => JSON.parse(entry) as JobHistoryEntry),
      };
    },

    async transition(id, change) {
      const entry: JobHistoryEntry = {
        state: change.state,
        at: new Date().toISOString(),
        by: change.by,
        ...(change.reason === undefined ? {} : { reason: change.reason }),
      };
      const pairs: string[] = [];
      for (const name of RESULT_FIELDS) {
        const value = change.fields?.[name];
        if (value !== undefined) pairs.push(name, Array.isArray(value) ? value.join(',') : String(value));
      }
      const changed = await redis.eval(
        TRANSITION_SCRIPT,
        2,
        jobKey(id),
        jobHistoryKey(id),
        change.state,
        JSON.stringify(entry),
        JOB_EVENTS_CHANNEL,
        id,
        change.expectedSite ?? '',
        change.expectedAttempts === undefined ? '' : String(change.expectedAttempts),
        (change.clear ?? []).join(','),
        ...pairs,
      );
      return changed === 1;
    },

    async announceCancel(id) {
      await redis.publish(JOB_CANCEL_CHANNEL, id);
    },
  };
}
