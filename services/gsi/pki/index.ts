/** The GSI PKI toolkit: make CAs, issue certificates and CRLs, lay out trust directories. */
export {
  createCertificateAuthority,
  type CertificateAuthority,
  type CreateCertificateAuthorityOptions,
} from './certificate-authority.ts';
export {
  createRevocationList,
  type CreateRevocationListOptions,
  type RevokedCertificate,
} from './certificate-revocation-list.ts';
export {
  DEV_CA_DN,
  DEV_USER_ACCOUNT,
  DEV_USER_DN,
  devPkiPaths,
  ensureDevPki,
  type DevPkiPaths,
  type EnsureDevPkiOptions,
} from './dev-pki.ts';
export {
  hostNameOfCommonName,
  issueHostCertificate,
  issueUserCertificate,
  type IssueHostCertificateOptions,
  type IssueUserCertificateOptions,
} from './issue-certificate.ts';
export {
  generateRsaKeyPair,
  mintCertificate,
  randomSerialNumber,
  validityWindow,
  type CertificateSigner,
  type MintCertificateOptions,
  type PemCredential,
} from './mint-certificate.ts';
export {
  canonicalNameEncoding,
  opensslIssuerHash,
  opensslNameHash,
  opensslSubjectHash,
} from './openssl-subject-hash.ts';
export {
  signingPolicy,
  writeTrustDirectory,
  type WriteTrustDirectoryOptions,
} from './trust-directory.ts';
export { writeFileAtomic } from './write-file-atomic.ts';
export { MIN_REQUEST_KEY_BITS, signCertificateRequest, type SignRequestOptions } from './sign-certificate-request.ts';
