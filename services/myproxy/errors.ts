/** The credential repository's faults, one table (services/myproxy/README.md). */
import { errorTable } from '../common/errors.ts';

export const myproxyError = errorTable({
  MYPROXY_BAD_REQUEST: {
    side: 'client',
    retryable: false,
    hint: 'Give a user name of 1-64 letters, digits, . _ @ or -, a pass phrase of at least 6 characters and positive whole hours.',
  },
  MYPROXY_BAD_CREDENTIAL: {
    side: 'client',
    retryable: false,
    hint: 'Send a valid proxy you made for the repository (weft myproxy-init does): its certificate, its key and its chain, whose identity is yours.',
  },
  MYPROXY_NOT_FOUND: {
    side: 'client',
    retryable: false,
    hint: 'Store a credential first (weft myproxy-init -l USERNAME); stored credentials vanish when they expire or are destroyed.',
  },
  MYPROXY_BAD_PASSPHRASE: {
    side: 'client',
    retryable: false,
    hint: 'Check the user name and give the pass phrase chosen at weft myproxy-init (a wrong pass phrase, a name with nothing stored and a credential stored for renewal answer alike); after 3 failed tries the repository makes you wait, twice as long each time.',
  },
  MYPROXY_TOO_MANY_TRIES: {
    side: 'client',
    retryable: true,
    hint: 'Wait the number of seconds the message names, then try again with the right pass phrase.',
  },
  MYPROXY_NOT_OWNER: {
    side: 'client',
    retryable: false,
    hint: 'Only the identity that stored a credential may see its details, replace it or destroy it; use the certificate you stored it with, or store yours under another user name.',
  },
  MYPROXY_RENEW_ONLY: {
    side: 'client',
    retryable: false,
    hint: 'The credential was stored for renewal (weft myproxy-init -R): only the named renewer may use it, to renew a job proxy; store another without -R to log on with a pass phrase.',
  },
  MYPROXY_NOT_RENEWER: {
    side: 'client',
    retryable: false,
    hint: 'Only the renewer named at weft myproxy-init -R may renew from the credential, and only a proxy of its owner; store it again with the right -R DN (the grid services DN, see services/myproxy/README.md).',
  },
  MYPROXY_EXPIRED: {
    side: 'client',
    retryable: false,
    hint: 'The stored credential has (almost) expired; store a new one with weft myproxy-init.',
  },
});

export type MyproxyErrorCode = keyof typeof myproxyError.table;
