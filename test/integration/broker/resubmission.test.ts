/**
 * The execution phase on real parts: a site agent that goes away mid-job makes the broker place
 * the job elsewhere (excluding that site) and the job still ends Done, saying why in its history;
 * a job that runs out of attempts fails with the reason; a site whose jobs keep failing at start
 * is quarantined; every ended job leaves a usage record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jobStatusReader, type JobStatus } from '../../../services/cli/gram-client.ts';
import { siteQuarantineKey, USAGE_STREAM, usageTotalsKey } from '../../../services/common/redis-keys.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { submit, waitUntilEnded } from '../../support/run-job.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { checkPlacedJobs } from '../../../services/broker/monitoring/monitor-placed-jobs.ts';
import { createRedisJobStore } from '../../../services/common/job-store.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { BROKER_QUEUE, QUEUE_PREFIX, siteKey, siteQueueName } from '../../../services/common/redis-keys.ts';
import { createRedisSiteRegistry } from '../../../services/common/site-registry.ts';
import { devUserEnv } from '../../support/dev-user-env.ts';
import { runWeft } from '../../support/run-weft.ts';

const reasons = (status: JobStatus) => (status.history?.entry ?? []).map((entry) => entry.reason ?? '');
const FAST_SITE = { publishIntervalSeconds: 1, lockDurationMs: 1000, stalledIntervalMs: 1000 };
const FAST_BROKER = { monitorIntervalMs: 200, retryDelayMs: 100 };

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a job whose site goes away is resubmitted elsewhere', () => {
  let grid: TestGrid;
  before(async () => {
    grid = await startTestGrid({
      sites: [
        { name: 'alpha', slots: 2, knobs: FAST_SITE },
        { name: 'beta', slots: 1, knobs: { ...FAST_SITE, pricePerCpuHour: '3.6' } },
      ],
      broker: FAST_BROKER,
    });
  });
  after(async () => {
    await grid?.stop();
  });

  it('moves the job from a stopped agent to beta, where it ends Done, and accounts for it', async () => {
    // rank: the bigger site (alpha) first.
    const job = await submit(grid.baseUrl, '&(executable=/bin/sh)(arguments=-c "sleep 1; echo finished")(rank="other.TotalCpus")(project=atlas)', grid.user);
    const read = await jobStatusReader(`${grid.baseUrl}/wsrf/services/ManagedJobService`, grid.user);
    await until('the job to run on alpha', async () => {
      const status = await read(job.jobKey);
      return status.state === 'Active' && status.site === 'alpha' ? status : undefined;
    });
    await grid.stopSite('alpha');

    const status = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user, 15_000);
    assert.equal(status.state, 'Done', reasons(status).join(' | '));
    assert.equal(status.site, 'beta');
    assert.equal(status.stdout, 'finished\n');
    assert.ok(
      reasons(status).some((r) => /^the agent of site alpha stopped looking after the job .*; resubmitting, attempt 2 of 3$/.test(r)),
      reasons(status).join(' | '),
    );
    assert.ok(reasons(status).some((r) => r.startsWith('placed on beta')), reasons(status).join(' | '));

    const record = await until('the usage record', async () => {
      const entries = await grid.redis.client.xrange(USAGE_STREAM, '-', '+');
      const fields = entries.map(([, values]) => Object.fromEntries(values.flatMap((v, i, all) => (i % 2 ? [] : [[v, all[i + 1]]]))));
      return fields.find((entry) => entry.jobId === job.jobKey);
    });
    assert.equal(record.owner, '/O=Grid/OU=Weft/CN=Dev User');
    assert.equal(record.vo, 'atlas');
    assert.equal(record.site, 'beta');
    assert.equal(record.state, 'Done');
    const wall = Number(record.wallSeconds);
    assert.ok(wall >= 1 && wall < 10, `wall ${wall}`);
    // 3.6 per CPU-hour, one CPU: a thousandth per second.
    assert.ok(Math.abs(Number(record.cost) - wall / 1000) < 1e-6, `cost ${record.cost} for ${wall} s`);
    assert.equal(await grid.redis.client.hget(usageTotalsKey('site', 'jobs'), 'beta'), '1');
    assert.equal(await grid.redis.client.hget(usageTotalsKey('vo', 'jobs'), 'atlas'), '1');

    // Through the AccountingService, as the dev user (an accounting administrator in the dev PKI).
    const env = devUserEnv(grid.certsDir);
    const json = await runWeft(['accounting', '-r', grid.baseUrl, '--by', 'site', '--json'], env);
    assert.equal(json.status, 0, json.stderr);
    const totals = JSON.parse(json.stdout) as { by: string; totals: Array<{ name: string; jobs: number; cost: number }> };
    assert.equal(totals.by, 'site');
    assert.deepEqual(totals.totals.map((t) => [t.name, t.jobs, t.cost]), [['beta', 1, Number(record.cost)]]);
    const table = await runWeft(['accounting', '-r', grid.baseUrl], env);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^USER +JOBS +WALL_S +CPU_S +COST\n\/O=Grid\/OU=Weft\/CN=Dev User +1 /);
    const bad = await runWeft(['accounting', '--by', 'planet'], env);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--by takes user, vo or site, not "planet"/);
  });
});

describe('a job taken back from a live but slow agent', () => {
  let grid: TestGrid;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-slow-'));
    grid = await startTestGrid({
      sites: [{ name: 'alpha', slots: 2, knobs: FAST_SITE }, { name: 'beta', slots: 1, knobs: FAST_SITE }],
      broker: FAST_BROKER,
    });
  });
  after(async () => {
    await grid?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is killed there, so it never runs twice at once', async () => {
    const marks = join(dir, 'runs');
    // Beta is busy, so the job taken back waits: only the cancel can stop alpha's run.
    const blocker = await submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=3)(requirements="other.Name == ""beta""")', grid.user);
    const job = await submit(grid.baseUrl, `&(executable=/bin/sh)(arguments=-c "sleep 1.5; echo finished >> ${marks}")(rank="other.TotalCpus")`, grid.user);
    const read = await jobStatusReader(`${grid.baseUrl}/wsrf/services/ManagedJobService`, grid.user);
    await until('the job to run on alpha', async () => {
      const status = await read(job.jobKey);
      return status.state === 'Active' && status.site === 'alpha' ? true : undefined;
    });
    // Alpha's record lapses (its agent was too slow to refresh it), the agent itself lives on.
    const queues = new Map<string, Queue>();
    const queue = (name: string) => queues.get(name) ?? queues.set(name, new Queue(name, { connection: grid.redis.client, prefix: QUEUE_PREFIX })).get(name)!;
    await grid.redis.client.del(siteKey('alpha'));
    await checkPlacedJobs(
      {
        redis: grid.redis.client,
        jobs: createRedisJobStore(grid.redis.client),
        sites: createRedisSiteRegistry(grid.redis.client),
        siteQueue: (site) => queue(siteQueueName(site)),
        brokerQueue: queue(BROKER_QUEUE),
        logger: silentLogger(),
      },
      { maxAttempts: 3, monitorIntervalMs: 200 },
    );
    await Promise.all([...queues.values()].map((q) => q.close()));

    const status = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user, 15_000);
    assert.equal(status.state, 'Done', reasons(status).join(' | '));
    assert.equal(status.site, 'beta');
    assert.ok(reasons(status).some((r) => r.startsWith('site alpha stopped refreshing its record')), reasons(status).join(' | '));
    // Alpha's run would have finished while the job waited for beta: only beta's got to the end.
    assert.equal(readFileSync(marks, 'utf8'), 'finished\n');
    assert.equal((await waitUntilEnded(grid.baseUrl, blocker.jobKey, grid.user)).state, 'Done');
  });
});

describe('attempts and quarantine', () => {
  let grid: TestGrid;
  before(async () => {
    grid = await startTestGrid({
      sites: [{ name: 'solo', slots: 1, knobs: FAST_SITE }, { name: 'gamma', slots: 1, knobs: FAST_SITE }],
      broker: { ...FAST_BROKER, maxAttempts: 1, quarantineFailures: 3, quarantineSeconds: 60 },
    });
  });
  after(async () => {
    await grid?.stop();
  });

  it('quarantines a site after three jobs fail there at start, and places no more there', async () => {
    const onGamma = '(requirements="other.Name == ""gamma""")';
    for (let n = 0; n < 3; n += 1) {
      const job = await submit(grid.baseUrl, `&(executable=/no/such/program)${onGamma}`, grid.user);
      const status = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user);
      assert.equal(status.failureCode, 'GRAM_EXECUTABLE_NOT_FOUND');
    }
    const until_ = await until('the quarantine', async () => (await grid.redis.client.get(siteQuarantineKey('gamma'))) ?? undefined);
    assert.ok(Date.parse(until_) > Date.now() + 50_000, until_);
    const job = await submit(grid.baseUrl, `&(executable=/bin/true)${onGamma}`, grid.user);
    const read = await jobStatusReader(`${grid.baseUrl}/wsrf/services/ManagedJobService`, grid.user);
    const waiting = await until('the job to wait', async () => {
      const status = await read(job.jobKey);
      return reasons(status).some((r) => r.startsWith('waiting:')) ? status : undefined;
    });
    assert.equal(waiting.state, 'Pending');
    assert.equal(waiting.site, undefined);
  });

  it('fails a job that lost its site when no attempt is left, saying why', async () => {
    const job = await submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=5)(requirements="other.Name == ""solo""")', grid.user);
    const read = await jobStatusReader(`${grid.baseUrl}/wsrf/services/ManagedJobService`, grid.user);
    await until('the job to run', async () => ((await read(job.jobKey)).state === 'Active' ? true : undefined));
    await grid.stopSite('solo');
    const status = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user, 10_000);
    assert.equal(status.state, 'Failed');
    assert.equal(status.failureCode, 'BROKER_ATTEMPTS_EXHAUSTED');
    assert.match(status.failureMessage ?? '', /^the agent of site solo stopped looking after the job .*; the job was placed 1 time, the most allowed \(WEFT_BROKER_MAX_ATTEMPTS=1\)$/);
  });
});
