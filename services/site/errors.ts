/** Faults raised by site agents and their local resource managers. */
import { errorTable } from '../common/errors.ts';

export const siteError = errorTable({
  SITE_WORKDIR_FAILED: {
    side: 'server',
    retryable: true,
    hint: 'The site could not make the job a working directory; the site administrator should check the disk.',
  },
  SITE_OUTPUT_UNREADABLE: {
    side: 'server',
    retryable: false,
    hint: 'The job ran but its output could not be collected; the site administrator should check the disk.',
  },
  SITE_GRID_MAPFILE_UNREADABLE: {
    side: 'server',
    retryable: true,
    hint: "The site administrator should make WEFT_SITE_GRID_MAPFILE name a readable grid-mapfile (empty: no map, every job runs as the agent's user).",
  },
  SITE_ACCOUNT_UNKNOWN: {
    side: 'server',
    retryable: false,
    hint: "The site administrator should create the local account the grid-mapfile names (in /etc/passwd) or map the DN to one that exists.",
  },
  SITE_ACCOUNT_IS_ROOT: {
    side: 'server',
    retryable: false,
    hint: 'The site administrator should map the DN to an ordinary (non-root) local account in the grid-mapfile.',
  },
  SITE_CANNOT_SWITCH_ACCOUNT: {
    side: 'server',
    retryable: false,
    hint: "The site administrator should run the site agent as root, or map the DN to the agent's own account.",
  },
  SITE_ACCOUNT_SETUP_FAILED: {
    side: 'server',
    retryable: true,
    hint: "The site administrator should check that the job's working directory can be given to the mapped account (chown).",
  },
});
