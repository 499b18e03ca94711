/** Faults of the DelegationService and of handing a delegated credential to a job. */
import { errorTable } from '../common/errors.ts';

export const delegationError = errorTable({
  DELEGATION_NOT_FOUND: {
    side: 'client',
    retryable: false,
    hint: 'The delegation does not exist: it was destroyed, its proxy expired, or its request was never completed in time. Delegate again.',
  },
  DELEGATION_NOT_OWNER: {
    side: 'client',
    retryable: false,
    hint: 'Only the identity that requested a delegation may complete, refresh, destroy or use it; delegate with your own credentials.',
  },
  DELEGATION_BAD_ID: {
    side: 'client',
    retryable: false,
    hint: 'Pass the delegation id (or the EPR) exactly as requestDelegation/putDelegation returned it.',
  },
  DELEGATION_BAD_CHAIN: {
    side: 'client',
    retryable: false,
    hint: 'Send the proxy signed for this request first, then its issuer chain, as PEM; the proxy must carry the public key of the request and be issued by your own credentials.',
  },
  DELEGATION_NOT_READY: {
    side: 'client',
    retryable: false,
    hint: 'Complete the delegation with putDelegation before naming it in a job.',
  },
  DELEGATION_UNAVAILABLE: {
    side: 'server',
    retryable: true,
    hint: 'The delegation store (Redis) or its secret could not be used; the grid operator should check Redis and WEFT_DELEGATION_SECRET.',
  },
});

export type DelegationErrorCode = keyof typeof delegationError.table;
