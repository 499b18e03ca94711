/**
 * Credential lifetime, the broker's part (services/delegation/lifetime.ts decides, this acts):
 *   - at placement, a job whose delegated proxy ends before its maxWallTime could is renewed from
 *     the repository when its delegation names a renewable credential, and otherwise held in
 *     Pending with the reason in its history until the delegation is long enough;
 *   - every few seconds, for every unfinished job with a delegation, a proxy ending within the
 *     margin (or before the running job could end) is renewed, and the job's history says
 *     "proxy renewed until …"; one that cannot be renewed gets one warning in the history.
 * Every broker runs it: the jobs to watch are a Redis set, renewal takes a lock per delegation,
 * and a warning is written once per job and proxy end.
 */
import { TERMINAL_STATES, type JobRecord } from '../../common/job.ts';
import type { JobStore } from '../../common/job-store.ts';
import type { Logger } from '../../common/logger.ts';
import type { RedisClient } from '../../common/redis.ts';
import { createRedisDelegationStore, HELD_PREFIX, holdReason, latestJobEnd, renewalDue, type DelegationRecord } from '../../delegation/index.ts';
import { createRedisRepositoryStore } from '../../myproxy/index.ts';
import { noteInHistory } from './history-note.ts';
import { BUSY, renewDelegation, type RenewalDeps, type RenewalOutcome } from './renew-delegation.ts';

/** Jobs with a delegation that are not over yet (members removed once a job ends). */
export const DELEGATED_JOBS_SET = 'weft:delegation:jobs';
const warnedKey = (jobId: string, notAfter: string) => `weft:delegation:warned:${jobId}:${notAfter}`;

export interface CredentialLifetimeDeps {
  readonly redis: RedisClient;
  readonly jobs: JobStore;
  readonly logger: Logger;
  /** What renewing needs; absent: jobs are held and warned about, never renewed. */
  readonly renewal?: { readonly secret: Buffer; readonly renewerDn: string };
}

export interface CredentialLifetimeConfig {
  readonly proxyMarginSeconds: number;
  readonly proxyCheckIntervalMs: number;
}

export interface CredentialLifetime {
  /** Why the job may not be placed yet for its credential, or undefined (placeJob's gate). */
  hold(job: JobRecord): Promise<string | undefined>;
  start(): void;
  stop(): Promise<void>;
}

export function credentialLifetime(deps: CredentialLifetimeDeps, config: CredentialLifetimeConfig): CredentialLifetime {
  const delegations = createRedisDelegationStore(deps.redis);
  const renewal: RenewalDeps | undefined = deps.renewal && {
    redis: deps.redis,
    delegations,
    repository: createRedisRepositoryStore(deps.redis),
    ...deps.renewal,
  };
  const logger = deps.logger.child({ op: 'credential-lifetime' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function renew(job: JobRecord, id: string, stillDue: (notAfter: Date) => boolean, now: Date): Promise<RenewalOutcome> {
    const outcome: RenewalOutcome = renewal
      ? await renewDelegation(renewal, id, stillDue, now)
      : { kind: 'not renewed', reason: 'this broker cannot renew (no services secret or host DN)' };
    if (outcome.kind === 'renewed') {
      logger.info({ jobId: job.id, delegationId: id, notAfter: outcome.notAfter.toISOString() }, 'delegated proxy renewed');
      await noteInHistory(deps.redis, job.id, job.state, `proxy renewed until ${outcome.notAfter.toISOString()} from the repository credential ${outcome.from}`);
    }
    return outcome;
  }

  async function hold(job: JobRecord): Promise<string | undefined> {
    const id = job.spec.delegationId;
    if (!id) return undefined;
    // Watched from the first placement attempt on (a job is Unsubmitted only then) until it ends.
    if (job.state === 'Unsubmitted') await deps.redis.sadd(DELEGATED_JOBS_SET, job.id);
    const minutes = job.spec.maxWallTime;
    if (minutes === undefined) return undefined;
    const record = await delegations.get(id);
    // A delegation that is gone is the site's to report (DELEGATION_NOT_FOUND), as before.
    if (!record?.current) return undefined;
    const now = new Date();
    const reason = holdReason(new Date(record.current.notAfter), now, minutes);
    if (!reason) return undefined;
    const outcome = await renew(job, id, (notAfter) => holdReason(notAfter, now, minutes) !== undefined, now);
    if (outcome.kind !== 'not renewed') return holdReason(outcome.notAfter, now, minutes);
    // Say why renewal did not help when the owner asked for it; a busy lock is retried soon.
    return record.renewFrom && outcome.reason !== BUSY ? `${reason} (not renewed: ${outcome.reason})` : reason;
  }

  async function check(jobId: string, job: JobRecord | undefined, record: DelegationRecord | undefined, now: Date): Promise<void> {
    const id = job?.spec.delegationId;
    if (!job || !id || TERMINAL_STATES.has(job.state)) {
      await deps.redis.srem(DELEGATED_JOBS_SET, jobId);
      return;
    }
    if (job.history[job.history.length - 1]?.reason?.startsWith(HELD_PREFIX)) return; // placement's
    if (!record?.current) return;
    const end = latestJobEnd(job, now);
    const due = (notAfter: Date) => renewalDue(notAfter, now, config.proxyMarginSeconds, end);
    const notAfter = record.current.notAfter;
    if (!due(new Date(notAfter))) return;
    const outcome = await renew(job, id, due, now);
    if (outcome.kind !== 'not renewed' || outcome.reason === BUSY) return;
    if ((await deps.redis.set(warnedKey(jobId, notAfter), '1', 'EX', 86_400, 'NX')) !== 'OK') return;
    await noteInHistory(
      deps.redis,
      jobId,
      job.state,
      `warning: the delegated proxy ends at ${notAfter} and was not renewed (${outcome.reason}); ` +
        'refresh the delegation (weft delegation-refresh EPR) or the job loses its credential then',
    );
  }

  async function tick(): Promise<void> {
    const now = new Date();
    const jobIds = await deps.redis.smembers(DELEGATED_JOBS_SET);
    // Every job, then every delegation, read at once (the commands go out back to back on the one
    // connection, a pipeline), not two round trips per job; a read that fails skips its job only.
    const jobs = await Promise.allSettled(jobIds.map((jobId) => deps.jobs.get(jobId)));
    const records = await Promise.allSettled(
      jobs.map(async (read) => {
        const job = read.status === 'fulfilled' ? read.value : undefined;
        const id = job?.spec.delegationId;
        return job && id && !TERMINAL_STATES.has(job.state) ? delegations.get(id) : undefined;
      }),
    );
    for (const [index, jobId] of jobIds.entries()) {
      const job = jobs[index]!;
      const record = records[index]!;
      if (job.status === 'rejected') {
        logger.error({ err: job.reason, jobId }, 'credential check failed');
        continue;
      }
      if (record.status === 'rejected') {
        logger.error({ err: record.reason, jobId }, 'credential check failed');
        continue;
      }
      await check(jobId, job.value, record.value, now).catch((error: unknown) => logger.error({ err: error, jobId }, 'credential check failed'));
    }
  }

  return {
    hold,
    start() {
      timer = setInterval(() => {
        running ??= tick()
          .catch((error: unknown) => logger.error({ err: error }, 'credential lifetime tick failed'))
          .finally(() => (running = undefined));
      }, config.proxyCheckIntervalMs);
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
