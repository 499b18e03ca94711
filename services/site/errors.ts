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
});
