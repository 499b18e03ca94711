/**
 * Fair share on real parts: one user's flood of jobs on a one-slot grid does not starve another
 * user's single job (services/broker/README.md, Fair share).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JobStatus } from '../../../services/cli/gram-client.ts';
import { issueUserCertificate } from '../../../services/gsi/index.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { submit, waitUntilEnded } from '../../support/run-job.ts';

const startedAt = (status: JobStatus) => {
  const active = (status.history?.entry ?? []).find((entry) => entry.state === 'Active');
  assert.ok(active, `job ${status.jobKey} never started`);
  return Date.parse(active.at);
};

describe('fair share', () => {
  let grid: TestGrid;
  before(async () => {
    // A long retry delay: jobs waiting for room are woken by endings, in fair-share order.
    grid = await startTestGrid({ sites: [{ name: 'alpha', slots: 1 }], broker: { retryDelayMs: 3000 } });
  });
  after(async () => {
    await grid?.stop();
  });

  it("starts user B's one job before most of user A's twenty", async () => {
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    const bob = { ...(await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Bob', days: 1 })), chainPems: [], caPems: grid.caPems };
    const flood = await Promise.all(
      Array.from({ length: 20 }, () => submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=0.2)', grid.user)),
    );
    const single = await submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=0.2)', bob);

    const bobStatus = await waitUntilEnded(grid.baseUrl, single.jobKey, bob, 30_000);
    const floodStatus = await Promise.all(flood.map((job) => waitUntilEnded(grid.baseUrl, job.jobKey, grid.user, 30_000)));
    assert.equal(bobStatus.state, 'Done');
    const bobStart = startedAt(bobStatus);
    const later = floodStatus.filter((status) => startedAt(status) > bobStart).length;
    assert.ok(later >= 15, `only ${later} of user A's 20 jobs started after user B's`);
  });
});
