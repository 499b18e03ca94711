/**
 * Fair share weighted by past usage, end to end (services/broker/README.md, Fair share): on a
 * one-slot grid, user A has just used the slot for a while; then A submits one job and B two,
 * A's first. The old rule (fewest waiting, then longest waited) would start A's; weighted by
 * usage, both of B's start before it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jobStatusReader, type JobStatus } from '../../../services/cli/gram-client.ts';
import { FAIR_SHARE_USAGE } from '../../../services/common/redis-keys.ts';
import { issueUserCertificate } from '../../../services/gsi/index.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { submit, waitUntilEnded } from '../../support/run-job.ts';

const startedAt = (status: JobStatus) => {
  const active = (status.history?.entry ?? []).find((entry) => entry.state === 'Active');
  assert.ok(active, `job ${status.jobKey} never started`);
  // node-soap answers xsd:dateTime as a Date; Date.parse would drop its milliseconds.
  return new Date(active.at).getTime();
};
const waiting = (status: JobStatus) => (status.history?.entry ?? []).some((entry) => entry.reason?.startsWith('waiting:'));

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('fair share weighted by usage', () => {
  let grid: TestGrid;
  before(async () => {
    // Waiting jobs are woken only by endings (the retry delay is far longer than the test), so the
    // order is fair share's alone.
    grid = await startTestGrid({ sites: [{ name: 'alpha', slots: 1 }], broker: { retryDelayMs: 60_000 } });
  });
  after(async () => {
    await grid?.stop();
  });

  it("starts both of B's jobs before A's one, because A has just used the slot", async () => {
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    const a = grid.user;
    const b = { ...(await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Light User', days: 1 })), chainPems: [], caPems: grid.caPems };
    const jobService = `${grid.baseUrl}/wsrf/services/ManagedJobService`;
    const readA = await jobStatusReader(jobService, a);
    const readB = await jobStatusReader(jobService, b);

    const earlier = await submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=3)', a);
    await until("A's earlier job to hold the slot", async () => (await readA(earlier.jobKey)).state === 'Active');
    const aJob = await submit(grid.baseUrl, '&(executable=/bin/true)', a);
    const bJobs = [await submit(grid.baseUrl, '&(executable=/bin/true)', b), await submit(grid.baseUrl, '&(executable=/bin/true)', b)];
    await until('all three to wait for the slot', async () =>
      (await Promise.all([readA(aJob.jobKey), ...bJobs.map((job) => readB(job.jobKey))])).every(waiting),
    );
    assert.equal((await readA(earlier.jobKey)).state, 'Active', "A's earlier job ended before the others waited: the test proves nothing");

    const aStatus = await waitUntilEnded(grid.baseUrl, aJob.jobKey, a, 30_000);
    const bStatus = await Promise.all(bJobs.map((job) => waitUntilEnded(grid.baseUrl, job.jobKey, b, 30_000)));
    assert.deepEqual([aStatus.state, ...bStatus.map((status) => status.state)], ['Done', 'Done', 'Done']);
    for (const status of bStatus) {
      assert.ok(startedAt(status) < startedAt(aStatus), `B's job ${status.jobKey} started after A's`);
    }
    // What fair share weighed: A's decayed CPU seconds (about 3) well above B's (about none).
    const [usageA, usageB] = (await grid.redis.client.hmget(FAIR_SHARE_USAGE, aStatus.owner, bStatus[0]!.owner)).map((text) => Number(text?.split(' ')[0]));
    assert.ok(usageA! > 2 && usageB! < usageA!, `usage A ${usageA}, B ${usageB}`);
  });
});
