/** Prints how a job ended, as globus-job-run does, and gives the exit status to return. */
import { GridError } from '../../common/errors.ts';
import type { JobStatus } from '../gram-client.ts';
import type { Output } from '../output.ts';

export function reportEnd(status: JobStatus, output: Output): number {
  if (status.stdout) output.passthrough('stdout', status.stdout);
  if (status.stderr) output.passthrough('stderr', status.stderr);
  if (status.state === 'Failed') {
    output.error(
      new GridError(
        status.failureCode ?? 'GRAM_JOB_EXECUTION_FAILED',
        { side: 'client', retryable: false, hint: 'See the job history with: weft globus-job-status --json CONTACT' },
        `the job failed because ${status.failureMessage ?? 'of an unknown reason'}`,
      ),
    );
    return 1;
  }
  return status.exitCode ?? 0;
}
