/**
 * The broker's selection phase on real parts: sites configured differently (price, VOs, policy)
 * through their knobs, RSL over SOAP, the broker choosing; then two brokers racing over three
 * sites.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analyzeJobRemote, cancelJob, jobStatusReader, type JobStatus } from '../../../services/cli/gram-client.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { devUserEnv } from '../../support/dev-user-env.ts';
import { runToEnd, submit, waitUntilEnded } from '../../support/run-job.ts';
import { runWeft } from '../../support/run-weft.ts';

const reasons = (status: JobStatus) => (status.history?.entry ?? []).map((entry) => entry.reason ?? '');
const jobService = (grid: TestGrid) => `${grid.baseUrl}/wsrf/services/ManagedJobService`;

/** Waits until the job's history holds a reason matching `pattern`, and returns the status. */
async function waitForReason(grid: TestGrid, jobKey: string, pattern: RegExp): Promise<JobStatus> {
  const read = await jobStatusReader(jobService(grid), grid.user);
  const deadline = Date.now() + 5_000;
  for (;;) {
    const status = await read(jobKey);
    if (reasons(status).some((reason) => pattern.test(reason))) return status;
    if (Date.now() > deadline) assert.fail(`no reason matching ${pattern} in: ${reasons(status).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('selection: policies, VOs and economics, end to end', () => {
  let grid: TestGrid;
  before(async () => {
    grid = await startTestGrid({
      sites: [
        // The cheapest open site, but its policy refuses the dev user.
        { name: 'picky', slots: 4, knobs: { pricePerCpuHour: '0.1', policy: '!regexp("CN=Dev User", other.Owner)' } },
        { name: 'cheap', slots: 2, knobs: { pricePerCpuHour: '1' } },
        { name: 'fast', slots: 4, knobs: { pricePerCpuHour: '5' } },
        // Free, but only for the cms VO.
        { name: 'cms', slots: 2, knobs: { pricePerCpuHour: '0', vos: 'cms' } },
      ],
    });
  });
  after(async () => {
    await grid?.stop();
  });

  it('never uses a site whose policy refuses the owner, even the cheapest', async () => {
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/true)(maxWallTime=10)(optimise=cost)', grid.user);
    assert.equal(status.state, 'Done');
    assert.equal(status.site, 'cheap');
    assert.ok(reasons(status).some((r) => /^placed on cheap: .*; estimated cost 0\.166667, done by /.test(r)), reasons(status).join(' | '));
    const job = await submit(grid.baseUrl, '&(executable=/bin/true)(requirements="other.Name == ""picky""")', grid.user);
    const waiting = await waitForReason(grid, job.jobKey, /^waiting: /);
    assert.equal(waiting.state, 'Pending');
    assert.ok(
      reasons(waiting).includes(
        "waiting: the site's VO list rejected 1 of 4 sites, the site's policy rejected 1; " +
          'requirement 1 (other.Name == "picky") rejected 2 of 2 sites',
      ),
      reasons(waiting).join(' | '),
    );
    await cancelJob(jobService(grid), job.jobKey, grid.user);
  });

  it('admits a VO only where it is listed or no list is kept', async () => {
    const cms = await runToEnd(grid.baseUrl, '&(executable=/bin/true)(project=cms)(optimise=cost)', grid.user);
    assert.equal(cms.site, 'cms');
    const none = await runToEnd(grid.baseUrl, '&(executable=/bin/true)(rank="other.Price == 0")', grid.user);
    assert.notEqual(none.site, 'cms', 'a job with no VO goes only to sites without a VO list');
    assert.notEqual(none.site, 'picky');
  });

  it('picks by price for cost and by free slots and speed for time', async () => {
    const cost = await runToEnd(grid.baseUrl, '&(executable=/bin/true)(maxWallTime=30)(optimise=cost)', grid.user);
    const time = await runToEnd(grid.baseUrl, '&(executable=/bin/true)(maxWallTime=30)(optimise=time)(budget=100)', grid.user);
    assert.equal(cost.site, 'cheap');
    // Nobody queues anywhere, so every site would finish at once: the tie goes to free slots.
    assert.equal(time.site, 'fast');
  });

  it('keeps a job over budget Pending with the economic reason, and analyze says why over SOAP', async () => {
    const job = await submit(grid.baseUrl, '&(executable=/bin/true)(maxWallTime=60)(budget=0.5)(deadline=600)(optimise=cost)', grid.user);
    const waiting = await waitForReason(grid, job.jobKey, /^waiting: /);
    assert.equal(waiting.state, 'Pending');
    assert.ok(reasons(waiting).includes('waiting: the cheapest site meeting the deadline costs 1 > budget 0.5'), reasons(waiting).join(' | '));

    const analysis = await analyzeJobRemote(jobService(grid), job.jobKey, grid.user);
    assert.equal(analysis.state, 'Pending');
    assert.equal(analysis.sitesConsidered, 4);
    assert.deepEqual(
      analysis.checks.map((check) => [check.name, check.rejected, check.siteNames]),
      [
        ["the site's VO list", 1, ['cms']],
        ["the site's policy", 1, ['picky']],
        ['estimated cost ≤ budget', 2, ['cheap', 'fast']],
      ],
    );
    assert.deepEqual(analysis.remaining, []);
    assert.equal(analysis.summary, '4 sites considered, 0 remain');
    const cheap = analysis.sites.find((site) => site.name === 'cheap');
    assert.equal(cheap?.estimatedCost, 1);
    assert.ok(cheap.ageSeconds >= 0 && cheap.ageSeconds <= 3, `age ${cheap.ageSeconds}`);
    assert.deepEqual(cheap.rejectedBy, ['estimated cost ≤ budget: it would cost 1, the budget is 0.5']);

    const cli = await runWeft(['job', 'analyze', `${job.jobServiceUrl}?job=${job.jobKey}`], devUserEnv(grid.certsDir));
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, new RegExp(`^job ${job.jobKey}: Pending\n4 sites considered, 0 remain\n`));
    assert.match(cli.stdout, /\n {2}the site's VO list {7}1 site \(cms\)\n/);
    assert.match(cli.stdout, /\n {2}estimated cost ≤ budget {2}2 sites \(cheap, fast\)\n/);
    assert.match(cli.stdout, /\n {2}cheap {2}info \d+s old {2}2\/2 free {2}cost 1 {2}done by \S+ {2}rejected\n {11}- estimated cost ≤ budget: it would cost 1, the budget is 0\.5\n/);
    await cancelJob(jobService(grid), job.jobKey, grid.user);
  });

  it('refuses a negative budget or a past deadline at submission', async () => {
    await assert.rejects(submit(grid.baseUrl, '&(executable=/bin/true)(budget=-1)', grid.user), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'GRAM_RSL_BAD_VALUE');
      assert.match(error.message, /the RSL budget "-1" at column \d+ is negative/);
      return true;
    });
    await assert.rejects(submit(grid.baseUrl, '&(executable=/bin/true)(deadline="2000-01-01T00:00:00Z")', grid.user), /is in the past/);
  });
});

describe('two brokers, three sites, thirty jobs at once', () => {
  let grid: TestGrid;
  const slots: Record<string, number> = { one: 1, two: 2, three: 3 };
  before(async () => {
    grid = await startTestGrid({ brokers: 2, sites: Object.entries(slots).map(([name, n]) => ({ name, slots: n })) });
  });
  after(async () => {
    await grid?.stop();
  });

  it('places every job exactly once and never runs more jobs at a site than it has slots', async () => {
    const jobs = await Promise.all(
      Array.from({ length: 30 }, (_, i) => submit(grid.baseUrl, `&(executable=/bin/sleep)(arguments=0.${i % 3 + 1})`, grid.user)),
    );
    const ended = await Promise.all(jobs.map((job) => waitUntilEnded(grid.baseUrl, job.jobKey, grid.user, 25_000)));
    const intervals = new Map<string, { start: number; end: number }[]>();
    for (const status of ended) {
      assert.equal(status.state, 'Done', reasons(status).join(' | '));
      const placed = reasons(status).filter((reason) => reason.startsWith('placed on '));
      assert.equal(placed.length, 1, `placed once: ${reasons(status).join(' | ')}`);
      const entries = status.history?.entry ?? [];
      const active = entries.filter((entry) => entry.state === 'Active');
      assert.equal(active.length, 1, 'ran once');
      // The program runs between Active and StageOut; the slot is given back only after StageOut.
      const stageOut = entries.find((entry) => entry.state === 'StageOut');
      assert.ok(status.site && stageOut);
      const list = intervals.get(status.site) ?? [];
      list.push({ start: Date.parse(active[0]!.at), end: Date.parse(stageOut.at) });
      intervals.set(status.site, list);
    }
    for (const [site, list] of intervals) {
      const events = list.flatMap((i) => [[i.start, 1] as const, [i.end, -1] as const]);
      events.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end before a start at the same ms
      let running = 0;
      let most = 0;
      for (const [, delta] of events) most = Math.max(most, (running += delta));
      assert.ok(most <= (slots[site] ?? 0), `${site} ran ${most} jobs at once with ${slots[site]} slots`);
    }
    assert.equal([...intervals.values()].reduce((n, list) => n + list.length, 0), 30);
  });
});
