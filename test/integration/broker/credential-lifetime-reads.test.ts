/**
 * The broker's credential lifetime over a real Redis, counted by Redis itself (INFO
 * commandstats): a job with a delegation joins the watched set once, at its first placement
 * attempt, not at every retry; a job without maxWallTime costs no delegation read at placement;
 * the background walk still drops finished jobs, and one unreadable delegation does not stop it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentialLifetime, DELEGATED_JOBS_SET } from '../../../services/broker/credential-lifetime/credential-lifetime.ts';
import type { JobSpec } from '../../../services/common/job.ts';
import { createRedisJobStore, type JobStore } from '../../../services/common/job-store.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { startRedis, type TestRedis } from '../../support/redis-server.ts';

const OWNER = '/O=Grid/OU=Weft/CN=Dev User';

async function calls(redis: TestRedis, command: string): Promise<number> {
  const stats = await redis.client.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

describe('credential lifetime: what it asks of Redis', () => {
  let redis: TestRedis;
  let jobs: JobStore;
  before(async () => {
    redis = await startRedis();
    jobs = createRedisJobStore(redis.client);
  });
  after(async () => await redis?.stop());

  async function newJob(id: string, spec: Partial<JobSpec> & { count?: number }) {
    await jobs.create({ id, owner: OWNER, spec: { executable: '/bin/true', arguments: [], environment: {}, count: 1, ...spec }, submittedAt: new Date().toISOString() });
    return (await jobs.get(id))!;
  }

  it('watches a job from its first placement attempt, with one SADD however often placement is retried', async () => {
    const lifetime = credentialLifetime({ redis: redis.client, jobs, logger: silentLogger() }, { proxyMarginSeconds: 900, proxyCheckIntervalMs: 60_000 });
    const first = await newJob('00000000-0000-4000-8000-000000000001', { delegationId: 'd-gone', maxWallTime: 10 });
    await redis.client.config('RESETSTAT');
    assert.equal(await lifetime.hold(first), undefined, 'a gone delegation is the site\'s to report');
    await jobs.transition(first.id, { state: 'Pending', by: 'broker', reason: 'waiting: no site has a free slot' });
    for (let retry = 0; retry < 3; retry += 1) await lifetime.hold((await jobs.get(first.id))!);
    assert.equal(await redis.client.sismember(DELEGATED_JOBS_SET, first.id), 1, 'watched');
    assert.equal(await calls(redis, 'sadd'), 1, 'added once, at the first attempt');
    assert.equal(await calls(redis, 'get'), 4, 'the delegation is read at each attempt (its end may have changed)');

    const unbounded = await newJob('00000000-0000-4000-8000-000000000002', { delegationId: 'd-gone' });
    await redis.client.config('RESETSTAT');
    await lifetime.hold(unbounded);
    assert.equal(await redis.client.sismember(DELEGATED_JOBS_SET, unbounded.id), 1);
    assert.equal(await calls(redis, 'get'), 0, 'no maxWallTime: nothing to hold for, no delegation read');
  });

  it('the walk drops finished jobs and goes on past a delegation it cannot read', async () => {
    const lifetime = credentialLifetime({ redis: redis.client, jobs, logger: silentLogger() }, { proxyMarginSeconds: 900, proxyCheckIntervalMs: 50 });
    const broken = await newJob('00000000-0000-4000-8000-000000000003', { delegationId: 'd-broken' });
    const done = await newJob('00000000-0000-4000-8000-000000000004', { delegationId: 'd-done' });
    await redis.client.set('weft:delegation:d-broken', 'not json');
    await jobs.transition(done.id, { state: 'Done', by: 'site:alpha', fields: { exitCode: 0 } });
    await redis.client.sadd(DELEGATED_JOBS_SET, broken.id, done.id);
    lifetime.start();
    try {
      const deadline = Date.now() + 5000;
      while ((await redis.client.sismember(DELEGATED_JOBS_SET, done.id)) === 1) {
        assert.ok(Date.now() < deadline, 'the finished job left the watched set');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await lifetime.stop();
    }
    assert.equal(await redis.client.sismember(DELEGATED_JOBS_SET, broken.id), 1, 'an unfinished job stays watched');
  });
});
