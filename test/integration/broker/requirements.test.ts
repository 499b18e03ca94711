/**
 * Requirements and rank on real parts: RSL over SOAP, the broker matching against the sites the
 * agents publish in Redis, fork sites running the job.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cancelJob, jobStatusReader, type JobStatus } from '../../../services/cli/gram-client.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { createJobEnvelope, faultCode, rawRequest } from '../../support/raw-soap.ts';
import { runToEnd, submit } from '../../support/run-job.ts';

const reasons = (status: JobStatus) => (status.history?.entry ?? []).map((entry) => entry.reason ?? '');

describe('job requirements and rank, end to end', () => {
  let grid: TestGrid;
  before(async () => {
    grid = await startTestGrid({ sites: [{ name: 'alpha', slots: 4 }, { name: 'beta', slots: 2 }] });
  });
  after(async () => {
    await grid?.stop();
  });

  it('runs a job that requires beta on beta', async () => {
    const status = await runToEnd(
      grid.baseUrl,
      '&(executable=/bin/echo)(arguments=on beta)(requirements="other.Name == ""beta""")',
      grid.user,
    );
    assert.equal(status.state, 'Done');
    assert.equal(status.site, 'beta');
    assert.equal(status.stdout, 'on beta\n');
    assert.ok(reasons(status).some((r) => /^placed on beta: .*; 1 of 2 sites met the requirements$/.test(r)), reasons(status).join(' | '));
  });

  it('follows the rank: highest first', async () => {
    const bigFirst = await runToEnd(grid.baseUrl, '&(executable=/bin/true)(rank="other.TotalCpus")', grid.user);
    assert.equal(bigFirst.site, 'alpha');
    assert.ok(reasons(bigFirst).some((r) => r.startsWith('placed on alpha (rank 4)')), reasons(bigFirst).join(' | '));
    // Without a rank alpha (more free slots) would win; the rank turns the order round.
    const smallFirst = await runToEnd(grid.baseUrl, '&(executable=/bin/true)(rank="-other.TotalCpus")', grid.user);
    assert.equal(smallFirst.site, 'beta');
  });

  it('refuses an unparsable requirement at submission with the column, storing nothing', async () => {
    const before = await grid.redis.client.keys('weft:job:*');
    const answer = await rawRequest(
      `${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`,
      createJobEnvelope('&(executable=/bin/echo)(requirements="other.FreeCpus >= 2 &&")'),
      { ...grid.user, caPems: grid.caPems },
    );
    assert.equal(faultCode(answer.body), 'BROKER_EXPRESSION_SYNTAX', answer.body);
    assert.match(answer.body, /the requirements expression has a syntax error at column 23: expected an operand after &apos;&amp;&amp;&apos;, found the end of the expression/);
    assert.match(answer.body, /<faultcode>soap:Client<\/faultcode>/);
    assert.deepEqual(await grid.redis.client.keys('weft:job:*'), before);
  });

  it('keeps a job no site can take Pending, with the failing requirement in its history', async () => {
    const job = await submit(grid.baseUrl, '&(executable=/bin/true)(requirements="other.LrmsType == ""fork"" && other.FreeCpus >= 8")', grid.user);
    const jobService = `${grid.baseUrl}/wsrf/services/ManagedJobService`;
    const read = await jobStatusReader(jobService, grid.user);
    const expected = 'waiting: requirement 2 (other.FreeCpus >= 8) rejected 2 of 2 sites';
    const deadline = Date.now() + 5_000;
    let status = await read(job.jobKey);
    while (!reasons(status).includes(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await read(job.jobKey);
    }
    assert.equal(status.state, 'Pending');
    assert.deepEqual(reasons(status).filter((r) => r.startsWith('waiting')), [expected], 'said once, not at every retry');
    assert.equal(status.site, undefined);
    await cancelJob(jobService, job.jobKey, grid.user);
  });
});
