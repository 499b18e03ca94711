/**
 * "A job is never run twice at the same time": once the broker has taken a job back from a site,
 * that site's agent can no longer move it (real Redis, the job store's transition script).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRedisJobStore, type JobStore } from '../../../services/common/job-store.ts';
import { startRedis, type TestRedis } from '../../support/redis-server.ts';

describe('transitions guarded by the job site and attempt', () => {
  let redis: TestRedis;
  let jobs: JobStore;
  before(async () => {
    redis = await startRedis();
    jobs = createRedisJobStore(redis.client);
  });
  after(async () => {
    await redis?.stop();
  });

  it("refuses a site's change once the broker has taken the job back, and a second take-back", async () => {
    const id = `guard-${Date.now()}`;
    await jobs.create({ id, owner: '/O=Grid/CN=T', submittedAt: new Date().toISOString(), spec: { executable: '/bin/true', arguments: [], environment: {}, count: 1 } });
    assert.equal(await jobs.transition(id, { state: 'Pending', by: 'broker', fields: { site: 'alpha' } }), true);
    assert.equal(await jobs.transition(id, { state: 'Active', by: 'site:alpha', expectedSite: 'alpha' }), true);

    const takeBack = {
      state: 'Pending' as const,
      by: 'broker',
      reason: 'site alpha stopped refreshing',
      expectedSite: 'alpha',
      expectedAttempts: 1,
      clear: ['site' as const],
      fields: { attempts: 2, excludedSites: ['alpha'] },
    };
    assert.equal(await jobs.transition(id, takeBack), true);
    assert.equal(await jobs.transition(id, takeBack), false, 'a second broker must not take it back again');
    assert.equal(await jobs.transition(id, { state: 'Done', by: 'site:alpha', expectedSite: 'alpha' }), false);

    const job = await jobs.get(id);
    assert.equal(job?.state, 'Pending');
    assert.equal(job?.site, undefined);
    assert.equal(job?.attempts, 2);
    assert.deepEqual(job?.excludedSites, ['alpha']);
    assert.deepEqual(job?.history.map((entry) => entry.state), ['Unsubmitted', 'Pending', 'Active', 'Pending']);
  });
});
