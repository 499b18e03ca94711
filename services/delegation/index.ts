/**
 * Delegation for Weft: the DelegationService (the service makes the key, the client signs a
 * proxy for it, the chain is kept sealed in Redis under an EPR a job can name) and what GRAM
 * and the site agents use to check and fetch a delegated credential. The public surface.
 */
export { createDelegationServices } from './create-delegation-services.ts';
export type { DelegationDeps } from './delegation-deps.ts';
export { delegationError, type DelegationErrorCode } from './errors.ts';
export { DELEGATION_KEY_BITS, makeDelegationRequest, publicKeyOfRequest, spkiOf, type DelegationRequest } from './csr.ts';
export { DELEGATION_SERVICE, delegationEpr, delegationIdOf } from './reference.ts';
export { DELEGATION_SECRET_ENV, DELEGATION_SECRET_FILE, delegationKey, loadDelegationSecret, seal, unseal } from './secret.ts';
export {
  createRedisDelegationStore,
  DELEGATION_KEY_PREFIX,
  openDelegatedCredential,
  readDelegatedCredential,
  replaceDelegatedChain,
  REQUEST_TTL_SECONDS,
  type DelegatedCredential,
  type DelegationRecord,
  type DelegationStore,
} from './store.ts';
export { delegationForJob } from './for-job.ts';
export {
  credentialWarning,
  DEFAULT_PROXY_MARGIN_SECONDS,
  HELD_PREFIX,
  holdReason,
  latestJobEnd,
  renewalDue,
  type JobTimes,
} from './lifetime.ts';
