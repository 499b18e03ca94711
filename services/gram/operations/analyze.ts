/**
 * ManagedJobService.analyze: why a job waits, or why it went where it did — every broker check at
 * every live site (services/broker/matching/analyze-job.ts), with the age of each site's record.
 * Only the job's owner may ask; to anyone else the job does not exist, as for getStatus.
 */
import { analyzeJob } from '../../broker/index.ts';
import type { CallContext } from '../../common/call-context.ts';
import { TERMINAL_STATES } from '../../common/job.ts';
import { gramError } from '../errors.ts';
import type { GramDeps } from '../gram-deps.ts';
import { checkJobKey } from '../job-endpoint.ts';

export interface AnalyzeRequest {
  jobKey?: unknown;
}

/** As the schema orders it: node-soap writes the keys in object order. */
export interface AnalyzeResponse {
  jobKey: string;
  state: string;
  site?: string;
  summary: string;
  sitesConsidered: number;
  checks: { check: { name: string; rejected: number; siteName: string[] }[] };
  remaining: { siteName: string[] };
  sites: {
    site: {
      name: string;
      ageSeconds: number;
      totalSlots: number;
      freeSlots: number;
      remains: boolean;
      rank?: number;
      estimatedCost: number;
      expectedCompletion: string;
      rejectedBy: string[];
    }[];
  };
}

export function analyze(deps: GramDeps) {
  return async (request: AnalyzeRequest, context: CallContext): Promise<AnalyzeResponse> => {
    const jobKey = checkJobKey(request.jobKey);
    const job = await deps.jobs.get(jobKey);
    if (!job || job.owner !== context.identity) {
      if (job) context.logger.warn({ jobId: jobKey }, 'analysis asked by someone other than the owner');
      throw gramError('GRAM_JOB_NOT_FOUND', `there is no job with the key ${jobKey}`);
    }
    // The job's expressions were checked at submission, so this throws only for a job from
    // before the check; the SOAP edge turns that GridError into a fault naming the column.
    const holdsSlots = job.site !== undefined && !TERMINAL_STATES.has(job.state);
    const analysis = analyzeJob(job, await deps.sites.listLive(), holdsSlots ? { holdsSlotsAt: job.site } : {});
    return {
      jobKey,
      state: job.state,
      ...(job.site === undefined ? {} : { site: job.site }),
      summary: analysis.summary,
      sitesConsidered: analysis.sitesConsidered,
      checks: {
        check: analysis.checks.map((check) => ({ name: check.check, rejected: check.rejected, siteName: [...check.sites] })),
      },
      remaining: { siteName: analysis.remaining.map((site) => site.name) },
      sites: {
        site: analysis.sites.map((site) => ({
          name: site.name,
          ageSeconds: site.ageSeconds,
          totalSlots: site.totalSlots,
          freeSlots: site.freeSlots,
          remains: site.rejectedBy.length === 0,
          ...(site.rank === undefined ? {} : { rank: site.rank }),
          estimatedCost: site.estimatedCost,
          expectedCompletion: site.expectedCompletion,
          rejectedBy: [...site.rejectedBy],
        })),
      },
    };
  };
}
