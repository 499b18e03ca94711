/**
 * ManagedJobService.cancel: stop a job. A job that has not ended is marked Failed
 * (GRAM_JOB_CANCELLED) at once — the state machine never leaves a terminal state, so whatever a
 * broker or site does afterwards cannot revive it — and the site agent running it is told to kill
 * it. Cancelling a job that already ended changes nothing and answers its final state.
 */
import type { CallContext } from '../../common/call-context.ts';
import { TERMINAL_STATES } from '../../common/job.ts';
import { gramError } from '../errors.ts';
import type { GramDeps } from '../gram-deps.ts';
import { checkJobKey } from '../job-endpoint.ts';

export interface CancelRequest {
  jobKey?: unknown;
}

export interface CancelResponse {
  jobKey: string;
  state: string;
  cancelled: boolean;
}

export function cancel(deps: GramDeps) {
  return async (request: CancelRequest, context: CallContext): Promise<CancelResponse> => {
    const jobKey = checkJobKey(request.jobKey);
    const job = await deps.jobs.get(jobKey);
    if (!job || job.owner !== context.identity) {
      throw gramError('GRAM_JOB_NOT_FOUND', `there is no job with the key ${jobKey}`);
    }
    if (TERMINAL_STATES.has(job.state)) return { jobKey, state: job.state, cancelled: false };
    const message = 'it was cancelled by its owner';
    const stopped = await deps.jobs.transition(jobKey, {
      state: 'Failed',
      by: 'gram',
      reason: message,
      fields: { failureCode: 'GRAM_JOB_CANCELLED', failureMessage: message },
    });
    await deps.jobs.announceCancel(jobKey);
    context.logger.info({ jobId: jobKey, from: job.state }, 'job cancelled');
    const now = stopped ? undefined : await deps.jobs.get(jobKey); // it ended on its own meanwhile
    return { jobKey, state: now?.state ?? 'Failed', cancelled: stopped };
  };
}
