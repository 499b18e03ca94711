/** The LDAP result codes the index answers with (RFC 4511 appendix A). */
export const RESULT = {
  success: 0,
  operationsError: 1,
  protocolError: 2,
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  compareFalse: 5,
  compareTrue: 6,
  authMethodNotSupported: 7,
  adminLimitExceeded: 11,
  unavailableCriticalExtension: 12,
  noSuchObject: 32,
  invalidDNSyntax: 34,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  unwillingToPerform: 53,
  other: 80,
} as const;

/** Protocol operation tags of the responses the index writes itself. */
export const OP = {
  bindResponse: 0x61,
  searchResultEntry: 0x64,
  searchResultDone: 0x65,
  extendedResponse: 0x78,
} as const;

/** The paged-results control (RFC 2696). */
export const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';
/** The OID of an unsolicited notice of disconnection (RFC 4511 section 4.4.1). */
export const NOTICE_OF_DISCONNECTION_OID = '1.3.6.1.4.1.1466.20036';
