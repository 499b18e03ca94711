/**
 * The path of a first job, on real parts: SOAP over HTTPS with a client certificate, Redis,
 * the broker, a fork site agent running real processes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { runToEnd, submit, waitUntilEnded } from '../../support/run-job.ts';

describe('a first job end to end', () => {
  let grid: TestGrid;
  before(async () => {
    grid = await startTestGrid({ sites: [{ name: 'alpha', slots: 2 }] });
  });
  after(async () => {
    await grid?.stop();
  });

  it('runs /bin/echo and returns its output, exit code and history', async () => {
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/echo)(arguments=hello grid)(count=1)', grid.user);
    assert.equal(status.state, 'Done');
    assert.equal(Number(status.exitCode), 0);
    assert.equal(status.stdout, 'hello grid\n');
    assert.equal(status.site, 'alpha');
    assert.equal(status.owner, '/O=Grid/OU=Weft/CN=Dev User');
    const states = (status.history?.entry ?? []).map((entry) => entry.state);
    assert.deepEqual(states, ['Unsubmitted', 'Pending', 'StageIn', 'Active', 'StageOut', 'Done']);
  });

  it('reports a non-zero exit code as Done with that code', async () => {
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/sh)(arguments="-c" "echo oops >&2; exit 3")', grid.user);
    assert.equal(status.state, 'Done');
    assert.equal(Number(status.exitCode), 3);
    assert.equal(status.stderr, 'oops\n');
  });

  it('passes shell metacharacters to the program literally, never to a shell', async () => {
    const status = await runToEnd(grid.baseUrl, `&(executable=/bin/echo)(arguments="a;b" "$(id)" "|&>" "it's")`, grid.user);
    assert.equal(status.stdout, "a;b $(id) |&> it's\n");
  });

  it('fails a job whose executable does not exist, saying so', async () => {
    const status = await runToEnd(grid.baseUrl, '&(executable=/no/such/program)', grid.user);
    assert.equal(status.state, 'Failed');
    assert.equal(status.failureCode, 'GRAM_EXECUTABLE_NOT_FOUND');
    assert.match(status.failureMessage ?? '', /\/no\/such\/program does not exist/);
  });

  it('runs each job in a fresh working directory with the environment it asked for', async () => {
    const rsl = '&(executable=/bin/sh)(arguments="-c" "pwd; ls -A | wc -l; echo $GREETING")(environment=(GREETING "hi there"))';
    const first = await runToEnd(grid.baseUrl, rsl, grid.user);
    const second = await runToEnd(grid.baseUrl, rsl, grid.user);
    const [dirA, , greeting] = (first.stdout ?? '').split('\n');
    const [dirB] = (second.stdout ?? '').split('\n');
    assert.notEqual(dirA, dirB);
    assert.equal(greeting, 'hi there');
  });

  it('never runs more jobs on a site than it has slots', async () => {
    const jobs = await Promise.all(
      Array.from({ length: 5 }, () => submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=0.3)', grid.user)),
    );
    const ends = await Promise.all(jobs.map((job) => waitUntilEnded(grid.baseUrl, job.jobKey, grid.user)));
    assert.ok(ends.every((status) => status.state === 'Done'));
    const intervals = ends.map((status) => {
      const at = (state: string) => Date.parse(status.history?.entry?.find((e) => e.state === state)?.at ?? '');
      return [at('Active'), at('StageOut')] as const;
    });
    const overlapAt = (t: number) => intervals.filter(([start, end]) => start <= t && t < end).length;
    const most = Math.max(...intervals.map(([start]) => overlapAt(start)));
    assert.ok(most <= 2, `at most 2 jobs may run at once on alpha, saw ${most}`);
  });
});
