/**
 * GSI — Grid Security Infrastructure for Weft: X.509 identities from a hashed trust directory,
 * RFC 3820 proxy certificates, strict chain validation, grid-mapfile authorization, credential
 * discovery the Globus way, and the dev PKI. This file is the whole public surface; other
 * services import only from here.
 */
export { gsiError, type GsiErrorCode } from './errors.ts';
export {
  attributeName,
  formatGlobusDn,
  globusDnEquals,
  globusDnFromForgeAttributes,
  globusDnFromNodeSubject,
  globusDnKey,
  globusDnToForgeAttributes,
  nodeSubjectFromGlobusDn,
  parseGlobusDn,
  type DnAttribute,
} from './dn.ts';
export { globusIssuerOf, globusSubjectOf } from './certificate-names.ts';
export {
  createCertificateAuthority,
  createRevocationList,
  DEV_CA_DN,
  DEV_USER_ACCOUNT,
  DEV_USER_DN,
  devPkiPaths,
  ensureDevPki,
  hostNameOfCommonName,
  issueHostCertificate,
  issueUserCertificate,
  MIN_REQUEST_KEY_BITS,
  signCertificateRequest,
  writeFileAtomic,
  opensslSubjectHash,
  writeTrustDirectory,
  type CertificateAuthority,
  type DevPkiPaths,
  type EnsureDevPkiOptions,
  type PemCredential,
} from './pki/index.ts';
export {
  createTrustStore,
  loadTrustStore,
  type TrustAnchor,
  type TrustStore,
} from './trust/trust-store.ts';
export { validateChain, type ValidatedChain } from './trust/validate-chain.ts';
export {
  lookupAccount,
  lookupAccounts,
  parseGridMapfile,
  readGridMapfile,
  requireAccount,
  type GridMap,
  type GridMapEntry,
} from './authz/grid-mapfile.ts';
export { accountsListedFor } from './authz/listed-accounts.ts';
export {
  createProxy,
  DEFAULT_PROXY_BITS,
  DEFAULT_PROXY_LIFETIME_SECONDS,
  defaultProxyPath,
  describeProxy,
  formatProxyFile,
  isLimitedProxy,
  PROXY_CERT_INFO_OID,
  PROXY_POLICY_OIDS,
  proxyKindOf,
  proxyTypeName,
  readProxyFile,
  signProxy,
  writeProxyFile,
  type CreateProxyOptions,
  type ProxyCertInfo,
  type ProxyCredential,
  type ProxyDescription,
  type ProxyFile,
  type ProxyFileContents,
  type ProxyKind,
  type ProxyOptions,
  type ProxyPolicy,
  type SignedProxy,
} from './proxy/index.ts';
export { isEncryptedKeyPem, unlockPrivateKey } from './credentials/unlock-private-key.ts';
export {
  findUserCertificate,
  findUserCredentials,
  type CredentialSource,
  type FindUserCredentialsOptions,
  type UserCredentials,
} from './credentials/find-user-credentials.ts';
export { signEnvelope, type SignEnvelopeOptions } from './wssec/sign-envelope.ts';
export {
  carriesMessageSignature,
  verifyEnvelope,
  type VerifiedEnvelope,
  type VerifyEnvelopeOptions,
} from './wssec/verify-envelope.ts';
export {
  createMemoryReplayCache,
  createRedisReplayCache,
  NO_REPLAY_CACHE,
  type ReplayCache,
  type ReplayRedis,
} from './wssec/replay-cache.ts';
