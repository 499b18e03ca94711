/**
 * A line in a job's history that is not a state change ("proxy renewed until …", a warning): an
 * entry with the job's current state, appended only while the job is still in that state, so it
 * can never undo a change a site or another broker made in between (the job store's transitions
 * set the state; this does not).
 */
import type { JobHistoryEntry, GramState } from '../../common/job.ts';
import type { RedisClient } from '../../common/redis.ts';
import { jobHistoryKey, jobKey } from '../../common/redis-keys.ts';

/* KEYS[1] job hash, KEYS[2] history list; ARGV[1] the state the job must be in, ARGV[2] the entry (JSON) */
const NOTE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
`;

export async function noteInHistory(redis: RedisClient, jobId: string, state: GramState, reason: string, now = new Date()): Promise<boolean> {
  const entry: JobHistoryEntry = { state, at: now.toISOString(), by: 'broker', reason };
  return (await redis.eval(NOTE_SCRIPT, 2, jobKey(jobId), jobHistoryKey(jobId), state, JSON.stringify(entry))) === 1;
}
