/**
 * The index's faults, one table. LDAP clients see them as an LDAP result code (the `ldapResult`
 * column) with the message as diagnosticMessage; daemons log them with the code.
 */
import { errorTable } from '../common/errors.ts';

export const mdsError = errorTable({
  MDS_INVALID_DN: {
    side: 'client',
    retryable: false,
    hint: 'Write the DN as RFC 4514 says, e.g. Mds-Host-hn=alpha,Mds-Vo-name=local,o=grid (escape , + " \\ < > ; = with a backslash).',
  },
  MDS_FILTER_TOO_DEEP: {
    side: 'client',
    retryable: false,
    hint: 'Flatten the filter: (&(a=1)(b=2)(c=3)) instead of nesting & or | inside each other.',
  },
  MDS_FILTER_TOO_LONG: {
    side: 'client',
    retryable: false,
    hint: 'Send a shorter filter, or split the search into several.',
  },
  MDS_MESSAGE_TOO_LARGE: {
    side: 'client',
    retryable: false,
    hint: 'LDAP requests to the index must be smaller than WEFT_MDS_MAX_MESSAGE_BYTES; send a smaller request.',
  },
  MDS_READ_ONLY: {
    side: 'client',
    retryable: false,
    hint: 'The index is read-only over LDAP; sites register through IndexService or their site agent.',
  },
  MDS_BIND_REFUSED: {
    side: 'client',
    retryable: false,
    hint: 'Bind anonymously (ldapsearch -x without -D/-w); the index needs no credentials to read.',
  },
  MDS_UNSUPPORTED: {
    side: 'client',
    retryable: false,
    hint: 'Use a plain search, compare or anonymous bind; the index supports no other operation or control here.',
  },
  MDS_LISTEN_FAILED: {
    side: 'server',
    retryable: true,
    hint: 'Free the port or choose another with WEFT_MDS_PORT, then start the index again.',
  },
  MDS_SITE_RECORD_INVALID: {
    side: 'server',
    retryable: false,
    hint: 'The site record in Redis is malformed; the site agent that published it should be upgraded or fixed.',
  },
  MDS_NOT_SITE_ADMIN: {
    side: 'client',
    retryable: false,
    hint: 'Ask the grid operator to list your certificate DN for this site in the site-admins file (WEFT_MDS_SITE_ADMINS).',
  },
  MDS_BAD_REGISTRATION: {
    side: 'client',
    retryable: false,
    hint: 'Correct the named field of the site document (services/mds/README.md lists each field and its bounds) and send it again.',
  },
  MDS_SITE_NOT_FOUND: {
    side: 'client',
    retryable: false,
    hint: 'Register the site again (weft site register FILE); a registration vanishes when its TTL passes without a refresh.',
  },
  MDS_BAD_QUERY: {
    side: 'client',
    retryable: false,
    hint: 'Send an RFC 4515 LDAP filter of at most 1024 characters and 8 levels, e.g. (&(Mds-Cpu-Free-count>=2)(Mds-Software-tag=blast)).',
  },
});

export type MdsErrorCode = keyof typeof mdsError.table;
