/**
 * Cancelling a job: a running one is killed on its site and ends Failed with
 * GRAM_JOB_CANCELLED; one that already ended stays as it was; nobody else can cancel it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cancelJob, jobStatusReader } from '../../../services/cli/gram-client.ts';
import { issueUserCertificate } from '../../../services/gsi/index.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { envelope, faultCode, rawRequest } from '../../support/raw-soap.ts';
import { runToEnd, submit, waitUntilEnded } from '../../support/run-job.ts';

describe('cancelling jobs', () => {
  let grid: TestGrid;
  let jobService: string;
  before(async () => {
    grid = await startTestGrid({ sites: [{ name: 'alpha', slots: 1 }] });
    jobService = `${grid.baseUrl}/wsrf/services/ManagedJobService`;
  });
  after(async () => {
    await grid?.stop();
  });

  async function waitForState(jobKey: string, state: string) {
    const read = await jobStatusReader(jobService, grid.user);
    const deadline = Date.now() + 10_000;
    while ((await read(jobKey)).state !== state) {
      if (Date.now() > deadline) throw new Error(`job never reached ${state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('kills a running job and frees its slot for the next one', async () => {
    const marker = `weft-cancel-${process.pid}-${Date.now()}`;
    const job = await submit(grid.baseUrl, `&(executable=/bin/sh)(arguments="-c" "sleep 30; echo ${marker}")`, grid.user);
    await waitForState(job.jobKey, 'Active');
    const answer = await cancelJob(jobService, job.jobKey, grid.user);
    assert.equal(String(answer.cancelled), 'true');
    const status = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user);
    assert.equal(status.state, 'Failed');
    assert.equal(status.failureCode, 'GRAM_JOB_CANCELLED');
    // The only slot is free again: a new job runs at once.
    const next = await runToEnd(grid.baseUrl, '&(executable=/bin/echo)(arguments=next)', grid.user);
    assert.equal(next.stdout, 'next\n');
    assert.doesNotMatch(status.stdout ?? '', new RegExp(marker));
  });

  it('cancels a job still waiting for the only slot, which then never runs', async () => {
    const blocker = await submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=1)', grid.user);
    await waitForState(blocker.jobKey, 'Active');
    const waiting = await submit(grid.baseUrl, '&(executable=/bin/echo)(arguments=never)', grid.user);
    await cancelJob(jobService, waiting.jobKey, grid.user);
    await waitUntilEnded(grid.baseUrl, blocker.jobKey, grid.user);
    await new Promise((r) => setTimeout(r, 300));
    const status = await waitUntilEnded(grid.baseUrl, waiting.jobKey, grid.user);
    assert.equal(status.state, 'Failed');
    assert.equal(status.stdout, undefined);
    assert.ok(!(status.history?.entry ?? []).some((entry) => entry.state === 'Active'));
  });

  it('leaves a job that already ended as it was', async () => {
    const done = await runToEnd(grid.baseUrl, '&(executable=/bin/true)', grid.user);
    const answer = await cancelJob(jobService, done.jobKey, grid.user);
    assert.equal(answer.state, 'Done');
    assert.equal(String(answer.cancelled), 'false');
  });

  it("does not let another user cancel someone's job", async () => {
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    const mallory = await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Mallory', days: 1 });
    const job = await submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=0.5)', grid.user);
    const answer = await rawRequest(jobService, envelope(`<g:cancel><g:jobKey>${job.jobKey}</g:jobKey></g:cancel>`), {
      ...mallory,
      caPems: grid.caPems,
    });
    assert.equal(faultCode(answer.body), 'GRAM_JOB_NOT_FOUND');
    const status = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user);
    assert.equal(status.state, 'Done');
  });
});
