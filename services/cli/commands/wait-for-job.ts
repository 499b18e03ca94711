/**
 * Polls a job's status until it ends, showing each state change on a terminal. Polls start at
 * 50 ms and back off to 1 s, so a quick job answers quickly and a long one costs little.
 */
import type { JobStatus, JobStatusReader } from '../gram-client.ts';
import type { Output } from '../output.ts';

const FIRST_POLL_MS = 50;
const LONGEST_POLL_MS = 1000;

/**
 * `onState`, when given, hears every state the poller sees, once each (globusrun prints them).
 */
export async function waitForJob(
  read: JobStatusReader,
  jobKey: string,
  output: Output,
  onState?: (state: string) => void,
): Promise<JobStatus> {
  let delay = FIRST_POLL_MS;
  let shown = '';
  let lastState = '';
  const started = Date.now();
  for (;;) {
    const status = await read(jobKey);
    if (status.state !== lastState) {
      lastState = status.state;
      onState?.(status.state);
    }
    if (status.state === 'Done' || status.state === 'Failed') {
      output.progress('');
      return status;
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    const where = status.site ? ` on ${status.site}` : '';
    const line = `job ${status.state}${where} (${seconds} s)`;
    if (line !== shown) {
      output.progress(line);
      shown = line;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, LONGEST_POLL_MS);
  }
}
