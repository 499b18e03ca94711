/**
 * When a job's delegated proxy is too short, in one place: the broker holds a job whose proxy
 * would end before the job could (instead of starting it to fail), the renewal loop renews a
 * proxy that ends within a margin or before the running job could end, and the job's status
 * warns about both. Pure decisions over times; the callers read Redis.
 */
import { TERMINAL_STATES, type GramState, type JobHistoryEntry } from '../common/job.ts';

/** How close to its end a job's proxy is renewed, and warned about (WEFT_BROKER_PROXY_MARGIN_SECONDS). */
export const DEFAULT_PROXY_MARGIN_SECONDS = 15 * 60;

/** What the decisions read of a job. */
export interface JobTimes {
  readonly state: GramState;
  readonly history: readonly JobHistoryEntry[];
  readonly spec: { readonly maxWallTime?: number };
}

/** Holds start with this, so status and the broker recognise a hold. */
export const HELD_PREFIX = 'held: ';

/**
 * The latest moment the job's program could still be running: from when it became Active (or
 * from now, before it starts) plus maxWallTime. Undefined without maxWallTime, and once the
 * program is over (StageOut, CleanUp, Done, Failed).
 */
export function latestJobEnd(job: JobTimes, now: Date): Date | undefined {
  const minutes = job.spec.maxWallTime;
  if (minutes === undefined) return undefined;
  if (job.state === 'StageOut' || job.state === 'CleanUp' || TERMINAL_STATES.has(job.state)) return undefined;
  let from = now;
  if (job.state === 'Active' || job.state === 'Suspended') {
    const started = [...job.history].reverse().find((entry) => entry.state === 'Active');
    if (started) from = new Date(started.at);
  }
  return new Date(from.getTime() + minutes * 60_000);
}

/** Should the proxy be renewed now: it ends within the margin, or before the job could? */
export function renewalDue(notAfter: Date, now: Date, marginSeconds: number, latestEnd: Date | undefined): boolean {
  return notAfter.getTime() - now.getTime() < marginSeconds * 1000 || (latestEnd !== undefined && notAfter < latestEnd);
}

/**
 * Why a job that has not started yet is held for its credential, or undefined when its proxy
 * outlives maxWallTime from now (a job without maxWallTime is never held: nothing says how long
 * it needs).
 */
export function holdReason(notAfter: Date | undefined, now: Date, maxWallTimeMinutes: number | undefined): string | undefined {
  if (maxWallTimeMinutes === undefined || notAfter === undefined) return undefined;
  if (notAfter.getTime() >= now.getTime() + maxWallTimeMinutes * 60_000) return undefined;
  return (
    `${HELD_PREFIX}the delegated proxy ends at ${notAfter.toISOString()}, before the job could finish ` +
    `(maxWallTime ${maxWallTimeMinutes} minutes); refresh the delegation with a longer proxy ` +
    '(weft delegation-refresh EPR -hours H) or store a renewable credential ' +
    '(weft myproxy-init -R "<grid services DN>" -l NAME) and name it (weft delegation-refresh EPR -renew-from NAME)'
  );
}

/**
 * The warning a job's status carries about its credential, or undefined: held for it, or its
 * proxy gone, expired, ending within the margin or before the job could end.
 */
export function credentialWarning(job: JobTimes, notAfter: Date | undefined, now: Date, marginSeconds = DEFAULT_PROXY_MARGIN_SECONDS): string | undefined {
  if (TERMINAL_STATES.has(job.state)) return undefined;
  const last = job.history[job.history.length - 1];
  if (last?.reason?.startsWith(HELD_PREFIX)) return last.reason;
  if (job.state === 'StageOut' || job.state === 'CleanUp') return undefined;
  if (notAfter === undefined) return 'the delegated proxy is gone (destroyed or expired): the job cannot use it';
  const at = notAfter.toISOString();
  if (notAfter <= now) return `the delegated proxy expired at ${at}`;
  const end = latestJobEnd(job, now);
  if (end !== undefined && notAfter < end) {
    return `the delegated proxy ends at ${at}, before the job could finish (maxWallTime ${job.spec.maxWallTime} minutes)`;
  }
  const minutes = Math.ceil((notAfter.getTime() - now.getTime()) / 60_000);
  if (minutes * 60 <= marginSeconds) return `the delegated proxy ends at ${at}, in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  return undefined;
}
