/** Faults the command line raises itself. */
import { errorTable } from '../common/errors.ts';

export const cliError = errorTable({
  CLI_USAGE: {
    side: 'client',
    retryable: false,
    hint: 'Run `weft help` to see the commands and their flags.',
  },
  CLI_BAD_CONTACT: {
    side: 'client',
    retryable: false,
    hint: 'Give a contact like https://localhost:8443 (a resource) or the job contact globus-job-submit printed.',
  },
  CLI_UNREACHABLE: {
    side: 'server',
    retryable: true,
    hint: 'Is the grid running? Start it with `npm start` (or scripts/grid up --detach) and check the host and port.',
  },
  CLI_TLS_REFUSED: {
    side: 'client',
    retryable: false,
    hint: 'The container refused the TLS connection; check that your certificate is issued by a CA it trusts (X509_CERT_DIR).',
  },
  CLI_TOOL_MISSING: {
    side: 'client',
    retryable: false,
    hint: 'Install the named program (ldapsearch: apt-get install ldap-utils) and run the command again.',
  },
  CLI_BAD_ANSWER: {
    side: 'server',
    retryable: true,
    hint: 'The container answered something that is not SOAP; check that the contact points at a Weft container.',
  },
});
