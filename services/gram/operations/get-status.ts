/**
 * ManagedJobService.getStatus: the state of one job, its exit code or failure, its output and
 * its history. Only the job's owner sees it; to anyone else the job does not exist (a different
 * answer would tell them it does).
 */
import type { CallContext } from '../../common/call-context.ts';
import { TERMINAL_STATES, type JobHistoryEntry, type JobOutcome, type JobRecord } from '../../common/job.ts';
import { credentialWarning } from '../../delegation/index.ts';
import { gramError } from '../errors.ts';
import type { GramDeps } from '../gram-deps.ts';
import { checkJobKey } from '../job-endpoint.ts';

export interface GetStatusRequest {
  jobKey?: unknown;
}

export interface GetStatusResponse extends JobOutcome {
  jobKey: string;
  state: string;
  owner: string;
  submittedAt: string;
  /** Held for, or short of, its delegated credential (services/delegation/lifetime.ts). */
  credentialWarning?: string;
  history: { entry: JobHistoryEntry[] };
}

export function getStatus(deps: GramDeps) {
  return async (request: GetStatusRequest, context: CallContext): Promise<GetStatusResponse> => {
    const jobKey = checkJobKey(request.jobKey);
    const job = await deps.jobs.get(jobKey);
    if (!job || job.owner !== context.identity) {
      if (job) context.logger.warn({ jobId: jobKey }, 'status asked by someone other than the owner');
      throw gramError('GRAM_JOB_NOT_FOUND', `there is no job with the key ${jobKey}`);
    }
    const optional = {
      site: job.site,
      exitCode: job.exitCode,
      failureCode: job.failureCode,
      failureMessage: job.failureMessage,
      stdout: job.stdout,
      stderr: job.stderr,
      credentialWarning: await warningFor(deps, job),
    };
    return {
      jobKey,
      state: job.state,
      owner: job.owner,
      submittedAt: job.submittedAt,
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
      history: { entry: [...job.history] },
    };
  };
}

/**
 * The job's credential warning: its delegation's end read now (services/delegation/lifetime.ts).
 * A finished job has none, so its delegation is not read at all.
 */
async function warningFor(deps: GramDeps, job: JobRecord): Promise<string | undefined> {
  if (!job.spec.delegationId || !deps.delegations || TERMINAL_STATES.has(job.state)) return undefined;
  const record = await deps.delegations.get(job.spec.delegationId);
  return credentialWarning(job, record?.current ? new Date(record.current.notAfter) : undefined, new Date());
}
