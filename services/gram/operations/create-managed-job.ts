/**
 * ManagedJobFactoryService.createManagedJob: accept a job description, store the job in Redis,
 * queue it for the broker, and answer with the job's endpoint reference. The answer comes only
 * after both writes succeeded: from then on the job is the grid's to finish.
 */
import { randomUUID } from 'node:crypto';
import { parseJobExpressions } from '../../broker/index.ts';
import type { CallContext } from '../../common/call-context.ts';
import { delegationError, delegationForJob } from '../../delegation/index.ts';
import { gsiError } from '../../gsi/index.ts';
import { gramError } from '../errors.ts';
import { readJobDescription } from '../description/index.ts';
import type { GramDeps } from '../gram-deps.ts';
import { jobEndpoint, type EndpointReference } from '../job-endpoint.ts';

export interface CreateManagedJobRequest {
  jobDescription?: unknown;
  initialTerminationTime?: unknown;
  delegatedCredentialEpr?: unknown;
  subscribe?: unknown;
}

export interface CreateManagedJobResponse {
  managedJobEndpoint: EndpointReference;
  jobContact: string;
  state: 'Unsubmitted';
}

export function createManagedJob(deps: GramDeps) {
  return async (request: CreateManagedJobRequest, context: CallContext): Promise<CreateManagedJobResponse> => {
    if (context.limitedProxy) {
      // Globus's rule for limited proxies: they may do anything their owner may, but start jobs.
      throw gsiError(
        'GSI_LIMITED_PROXY',
        `"${context.identity}" called through a limited proxy, and a limited proxy cannot start jobs`,
        { identity: context.identity },
      );
    }
    const description = typeof request.jobDescription === 'string' ? request.jobDescription : '';
    // RSL, a GT4 job description or JSDL: one JobSpec, checked by the same rules (description/).
    let { spec } = readJobDescription(description);
    const epr = typeof request.delegatedCredentialEpr === 'string' ? request.delegatedCredentialEpr.trim() : '';
    if (epr) {
      // The caller's own, completed, live delegation; one too short for maxWallTime is held by
      // the broker until refreshed or renewed (services/delegation/lifetime.ts).
      if (!deps.delegations) throw delegationError('DELEGATION_UNAVAILABLE', 'this container hosts no DelegationService store');
      spec = { ...spec, delegationId: await delegationForJob(deps.delegations, epr, context.identity) };
    }
    // Requirements and rank are checked here, before anything is stored, so that a mistake in
    // them is a fault naming its column now and not a job that waits forever.
    parseJobExpressions(spec);
    const id = randomUUID();
    try {
      await deps.jobs.create({ id, owner: context.identity, spec, submittedAt: new Date().toISOString() });
      await deps.brokerQueue.add('place', { jobId: id }, { jobId: id });
    } catch (error) {
      context.logger.error({ err: error, jobId: id }, 'could not store the job');
      throw gramError('GRAM_STORE_UNAVAILABLE', 'the grid could not store the job in Redis');
    }
    context.logger.info({ jobId: id, executable: spec.executable }, 'job accepted');
    const endpoint = jobEndpoint(context.baseUrl, id);
    return { managedJobEndpoint: endpoint.reference, jobContact: endpoint.contact, state: 'Unsubmitted' };
  };
}
