/** The credential repository (MyProxy-like): the public surface other services import. */
export { MYPROXY_KNOBS } from './config.ts';
export { CREDENTIAL_REPOSITORY_SERVICE, createRepositoryServices } from './create-repository-services.ts';
export { myproxyError, type MyproxyErrorCode } from './errors.ts';
export type { RepositoryDeps } from './repository-deps.ts';
export { createRedisRepositoryStore, type RepositoryEntry, type RepositoryStore } from './repository-store.ts';
export { capLifetimeSeconds, lockSecondsAfter, retrievedLifetimeSeconds, seal, unseal, type SealedCredential, type StoredCredential } from './vault.ts';
export type { RepositoryInfo } from './operations/repository-info.ts';
export { checkRenewerDn, renewFromRepository, type RenewalRequest, type RenewedProxy } from './renewal.ts';
