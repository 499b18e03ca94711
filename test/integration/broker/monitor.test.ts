/**
 * The monitor on real Redis, without agents: a job placed on a site whose record expired (its
 * agent was killed, so nothing refreshes it) is taken back once, even by two brokers at once, and
 * handed to the broker queue for its next attempt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { checkPlacedJobs, indexPlacement, placementQueueId } from '../../../services/broker/monitoring/monitor-placed-jobs.ts';
import { createRedisJobStore, type JobStore } from '../../../services/common/job-store.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { BROKER_QUEUE, QUEUE_PREFIX, SITES_SET, siteJobsKey, siteQueueName, siteReservationsKey } from '../../../services/common/redis-keys.ts';
import { createRedisSiteRegistry } from '../../../services/common/site-registry.ts';
import { startRedis, type TestRedis } from '../../support/redis-server.ts';

describe('the placed-jobs monitor', () => {
  let redis: TestRedis;
  let jobs: JobStore;
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    let found = queues.get(name);
    if (!found) {
      found = new Queue(name, { connection: redis.client, prefix: QUEUE_PREFIX });
      queues.set(name, found);
    }
    return found;
  };
  before(async () => {
    redis = await startRedis();
    jobs = createRedisJobStore(redis.client);
  });
  after(async () => {
    await Promise.all([...queues.values()].map((q) => q.close()));
    await redis?.stop();
  });

  it('takes a job back from a site whose record expired, once, and queues its next attempt', async () => {
    const id = `lost-${Date.now()}`;
    await jobs.create({ id, owner: '/O=Grid/CN=T', submittedAt: new Date().toISOString(), spec: { executable: '/bin/true', arguments: [], environment: {}, count: 1 } });
    // Placed on "ghost", which then died: its reservation and queue entry remain, its record is gone.
    await redis.client.sadd(SITES_SET, 'ghost');
    await redis.client.hset(siteReservationsKey('ghost'), id, '1');
    await indexPlacement(redis.client, 'ghost', id, 1);
    await jobs.transition(id, { state: 'Pending', by: 'broker', fields: { site: 'ghost' } });
    await queue(siteQueueName('ghost')).add('run', { jobId: id }, { jobId: id });
    await jobs.transition(id, { state: 'Active', by: 'site:ghost', expectedSite: 'ghost' });

    const deps = {
      redis: redis.client,
      jobs,
      sites: createRedisSiteRegistry(redis.client),
      siteQueue: (site: string) => queue(siteQueueName(site)),
      brokerQueue: queue(BROKER_QUEUE),
      logger: silentLogger(),
    };
    // Two brokers at once.
    await Promise.all([checkPlacedJobs(deps, { maxAttempts: 3, monitorIntervalMs: 1000 }), checkPlacedJobs(deps, { maxAttempts: 3, monitorIntervalMs: 1000 })]);

    const job = await jobs.get(id);
    assert.equal(job?.state, 'Pending');
    assert.equal(job?.site, undefined);
    assert.equal(job?.attempts, 2);
    assert.deepEqual(job?.excludedSites, ['ghost']);
    const resubmissions = job?.history.filter((entry) => entry.reason?.includes('resubmitting')) ?? [];
    assert.deepEqual(resubmissions.map((entry) => entry.reason), [
      'site ghost stopped refreshing its record (its agent is gone); resubmitting, attempt 2 of 3',
    ]);
    assert.equal(await queue(BROKER_QUEUE).getJobState(placementQueueId(id, 2)), 'waiting');
    assert.equal(await redis.client.hexists(siteReservationsKey('ghost'), id), 0);
    assert.equal(await redis.client.hexists(siteJobsKey('ghost'), id), 0);
    assert.equal(await queue(siteQueueName('ghost')).getJobState(id), 'unknown');
  });
});
