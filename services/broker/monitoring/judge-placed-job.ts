/**
 * The monitor's one decision, kept pure so it can be tested alone: given a job found in a site's
 * index of placed jobs, what the site's record and queue say, and the attempt limit, should the
 * broker leave it, tidy the index, or take the job back from the site?
 */
import { TERMINAL_STATES, type JobRecord } from '../../common/job.ts';

/** What BullMQ says about the job on the site's queue (`getJobState`). */
export type SiteQueueState = 'completed' | 'failed' | 'delayed' | 'active' | 'waiting' | 'waiting-children' | 'prioritized' | 'unknown';

export interface PlacedJobFacts {
  /** The site whose index holds the job. */
  readonly site: string;
  /** The attempt the index entry was made for. */
  readonly indexedAttempt: number;
  /** The job as Redis holds it now (what the decision needs of it); undefined when it is gone. */
  readonly job: PlacedJobView | undefined;
  /** Whether the site's soft-state record is still there (refreshed within its TTL). */
  readonly siteLive: boolean;
  /** The job's state on the site's queue; only asked for when the job is still placed there. */
  readonly queueState?: SiteQueueState;
  readonly maxAttempts: number;
}

/** The few fields of a job the monitor reads on every pass (not its history: that can be long). */
export type PlacedJobView = Pick<JobRecord, 'state' | 'site' | 'attempts'>;

export type PlacedJobDecision =
  /** Still placed there and looked after: nothing to do. */
  | { readonly action: 'keep' }
  /** Ended or gone: drop the index entry (and any slot still held). */
  | { readonly action: 'forget' }
  /** Moved off this site already: finish the move (slot, site queue, broker queue), drop the entry. */
  | { readonly action: 'tidy' }
  /** Lost by its site: place it again elsewhere, as attempt `attempt`. */
  | { readonly action: 'resubmit'; readonly attempt: number; readonly reason: string }
  /** Lost by its site once too often: fail it. */
  | { readonly action: 'fail'; readonly reason: string };

/** The job's current attempt: 1 until the broker first takes it back. */
export function attemptOf(job: Pick<JobRecord, 'attempts'>): number {
  return job.attempts ?? 1;
}

/** Why a site lost the job, in words finishing "the job left site X because …"; undefined: not lost. */
export function whyLost(facts: PlacedJobFacts): string | undefined {
  if (!facts.siteLive) return `site ${facts.site} stopped refreshing its record (its agent is gone)`;
  if (facts.queueState === 'completed' || facts.queueState === 'failed') {
    return `the agent of site ${facts.site} stopped looking after the job (it stalled or was shut down)`;
  }
  return undefined;
}

export function judgePlacedJob(facts: PlacedJobFacts): PlacedJobDecision {
  const { job } = facts;
  if (!job || TERMINAL_STATES.has(job.state)) return { action: 'forget' };
  if (job.site !== facts.site) {
    // Without a site and still in the attempt it was indexed for, the job is being placed on
    // this site right now (the index entry comes before the job's `site` field): leave it.
    if (job.site === undefined && attemptOf(job) <= facts.indexedAttempt) return { action: 'keep' };
    return { action: 'tidy' };
  }
  const why = whyLost(facts);
  if (why === undefined) return { action: 'keep' };
  const attempt = attemptOf(job);
  if (attempt >= facts.maxAttempts) {
    return {
      action: 'fail',
      reason:
        `${why}; the job was placed ${attempt} time${attempt === 1 ? '' : 's'}, ` +
        `the most allowed (WEFT_BROKER_MAX_ATTEMPTS=${facts.maxAttempts})`,
    };
  }
  return {
    action: 'resubmit',
    attempt: attempt + 1,
    reason: `${why}; resubmitting, attempt ${attempt + 1} of ${facts.maxAttempts}`,
  };
}
