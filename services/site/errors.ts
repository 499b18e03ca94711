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
    hint: 'The job ran but its output could not be collected: the job replaced its stdout or stderr with a link or something other than its own regular file, or the site administrator should check the disk.',
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
  SITE_SLURM_SUBMIT_FAILED: {
    side: 'server',
    retryable: true,
    hint: 'Slurm did not take the job (sbatch failed; its message says why, e.g. an unknown partition or a limit the job asks beyond); check the queue, maxWallTime and maxMemory, or the site administrator should check slurmctld.',
  },
  SITE_SLURM_JOB_LOST: {
    side: 'server',
    retryable: true,
    hint: "Slurm forgot the job before the site agent saw it end, and the job left no exit status in its working directory; submit it again, and the site administrator should check slurmctld's MinJobAge and the compute node.",
  },
});
