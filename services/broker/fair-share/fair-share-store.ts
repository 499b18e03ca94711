/**
 * Fair share's state in Redis, three hashes under one hash tag (services/common/redis-keys.ts):
 * each owner's decayed usage (`<CPU seconds> <at ms>`), the jobs charged as running (job id →
 * expected CPU seconds) and each owner's sum of those charges. Every operation is O(1) per job
 * or per owner: no scans.
 *
 * - placement charges the job (once per job id, however often it is placed);
 * - its ending, in the broker that accounts for it, takes the charge back and adds the CPU
 *   seconds it used to the owner's decayed usage — one script, so a reader never sees both or
 *   neither — and announces it on FAIR_SHARE_SETTLED_CHANNEL: brokers wake waiting jobs on that
 *   announcement rather than on the raw ending, so they never order by a share half settled;
 * - waking reads the owners' usage and charges.
 */
import { createHash } from 'node:crypto';
import type { JobRecord } from '../../common/job.ts';
import type { RedisClient } from '../../common/redis.ts';
import { FAIR_SHARE_CHARGES, FAIR_SHARE_RUNNING, FAIR_SHARE_SETTLED_CHANNEL, FAIR_SHARE_USAGE } from '../../common/redis-keys.ts';
import { expectedCpuSeconds } from './expected-usage.ts';
import { decayedTo, parseDecayed } from './usage-decay.ts';

/** What fair share knows of one owner now. */
export interface OwnerShare {
  /** CPU seconds of ended jobs, decayed to now. */
  readonly usage: number;
  /** Expected CPU seconds of the owner's jobs placed and not yet ended. */
  readonly running: number;
}

/*
 * KEYS[1] running, KEYS[2] charges
 * ARGV[1] job id, ARGV[2] owner, ARGV[3] expected CPU seconds
 */
const CHARGE_SCRIPT = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3]) == 1 then
  redis.call('HINCRBYFLOAT', KEYS[2], ARGV[2], ARGV[3])
end
return 0
`;

/*
 * KEYS[1] running, KEYS[2] charges, KEYS[3] usage
 * ARGV[1] job id, ARGV[2] owner, ARGV[3] CPU seconds used, ARGV[4] now (ms), ARGV[5] half-life (ms),
 * ARGV[6] the channel announcing settled jobs
 */
const SETTLE_SCRIPT = `
local charge = redis.call('HGET', KEYS[1], ARGV[1])
if charge then
  redis.call('HDEL', KEYS[1], ARGV[1])
  local left = tonumber(redis.call('HINCRBYFLOAT', KEYS[2], ARGV[2], -tonumber(charge)))
  if left < 0.001 then redis.call('HDEL', KEYS[2], ARGV[2]) end
end
local now = tonumber(ARGV[4])
local value = 0
local stored = redis.call('HGET', KEYS[3], ARGV[2])
if stored then
  local v, at = string.match(stored, '^(%S+) (%d+)$')
  if v then value = tonumber(v) * 2 ^ (-math.max(0, now - tonumber(at)) / tonumber(ARGV[5])) end
end
redis.call('HSET', KEYS[3], ARGV[2], string.format('%.6f %d', value + tonumber(ARGV[3]), now))
redis.call('PUBLISH', ARGV[6], ARGV[1])
return 0
`;

type Script = { readonly text: string; readonly sha: string };
const script = (text: string): Script => ({ text, sha: createHash('sha1').update(text).digest('hex') });
const CHARGE = script(CHARGE_SCRIPT);
const SETTLE = script(SETTLE_SCRIPT);

/** Runs a script by its SHA (placement is a hot path: no script text on every call), loading it once when Redis does not know it. */
async function run(redis: RedisClient, { text, sha }: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(text, keys.length, ...keys, ...args);
  }
}

/** Charges a job being placed as running: its expected CPU seconds count against its owner. */
export async function chargeRunning(redis: RedisClient, job: Pick<JobRecord, 'id' | 'owner' | 'spec'>): Promise<void> {
  await run(redis, CHARGE, [FAIR_SHARE_RUNNING, FAIR_SHARE_CHARGES], [job.id, job.owner, String(expectedCpuSeconds(job.spec))]);
}

/** An ended job: its running charge goes, the CPU seconds it used join its owner's decayed usage. */
export async function settleEnded(
  redis: RedisClient,
  ended: { readonly jobId: string; readonly owner: string; readonly cpuSeconds: number },
  halfLifeSeconds: number,
  nowMs = Date.now(),
): Promise<void> {
  await run(
    redis,
    SETTLE,
    [FAIR_SHARE_RUNNING, FAIR_SHARE_CHARGES, FAIR_SHARE_USAGE],
    [ended.jobId, ended.owner, String(ended.cpuSeconds), String(Math.round(nowMs)), String(halfLifeSeconds * 1000), FAIR_SHARE_SETTLED_CHANNEL],
  );
}

/** Usage and running charges of `owners`, as they stand at `nowMs`. */
export async function readShares(
  redis: RedisClient,
  owners: readonly string[],
  halfLifeSeconds: number,
  nowMs = Date.now(),
): Promise<Map<string, OwnerShare>> {
  const shares = new Map<string, OwnerShare>();
  if (owners.length === 0) return shares;
  const [usage, charges] = await Promise.all([redis.hmget(FAIR_SHARE_USAGE, ...owners), redis.hmget(FAIR_SHARE_CHARGES, ...owners)]);
  owners.forEach((owner, index) => {
    const stored = parseDecayed(usage[index]);
    shares.set(owner, {
      usage: stored ? decayedTo(stored, nowMs, halfLifeSeconds) : 0,
      running: Math.max(0, Number(charges[index] ?? 0) || 0),
    });
  });
  return shares;
}
