/**
 * Accounting's and fair share's Redis state on a real redis-server: a record is written once
 * however many brokers hear the ending; everyone's totals and each owner's own agree; windows and
 * record lists page through more than one read; a job is charged once however often it is placed,
 * and its ending swaps the charge for the usage (decayed by its half-life) and is announced.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordUsage } from '../../../services/broker/accounting/record-usage.ts';
import type { UsageRecord } from '../../../services/broker/accounting/usage-record.ts';
import { listUsage, readUsageTotals, sumUsage } from '../../../services/broker/accounting/usage-store.ts';
import { chargeRunning, readShares, settleEnded } from '../../../services/broker/fair-share/fair-share-store.ts';
import { FAIR_SHARE_SETTLED_CHANNEL } from '../../../services/common/redis-keys.ts';
import type { JobSpec } from '../../../services/common/job.ts';
import { startRedis, type TestRedis } from '../../support/redis-server.ts';

const ALICE = '/O=Grid/OU=Weft/CN=Alice';
const BOB = '/O=Grid/OU=Weft/CN=Bob';
const CONFIG = { usageMaxRecords: 100_000, fairShareHalfLifeSeconds: 3600 };

const record = (jobId: string, owner: string, endedAt: string, more: Partial<UsageRecord> = {}): UsageRecord => ({
  jobId, owner, vo: 'atlas', site: 'alpha', state: 'Done', startedAt: endedAt, endedAt,
  wallSeconds: 10, cpuSeconds: 20, pricePerCpuHour: 3.6, cost: 0.02, exitCode: 0, ...more,
});

describe('usage records and totals in Redis', () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  it('writes each ending once, into everyone\'s totals and the owner\'s own', async () => {
    const client = redis.client;
    assert.equal(await recordUsage(client, record('a1', ALICE, '2026-11-23T01:00:00.000Z'), CONFIG), true);
    assert.equal(await recordUsage(client, record('a1', ALICE, '2026-11-23T01:00:00.000Z'), CONFIG), false, 'a second broker writes nothing');
    await recordUsage(client, record('a2', ALICE, '2026-11-23T02:00:00.000Z', { site: 'beta', cost: 0.5 }), CONFIG);
    await recordUsage(client, record('b1', BOB, '2026-11-23T03:00:00.000Z', { vo: '' }), CONFIG);

    const users = await readUsageTotals(client, 'user');
    assert.deepEqual(users.map((t) => [t.name, t.jobs, t.cpuSeconds, t.cost]), [[ALICE, 2, 40, 0.52], [BOB, 1, 20, 0.02]]);
    assert.deepEqual((await readUsageTotals(client, 'user', { owner: BOB })).map((t) => [t.name, t.jobs]), [[BOB, 1]]);
    assert.deepEqual((await readUsageTotals(client, 'vo', { owner: BOB })).map((t) => t.name), ['(none)']);
    assert.deepEqual((await readUsageTotals(client, 'site', { owner: ALICE })).map((t) => [t.name, t.jobs]), [['beta', 1], ['alpha', 1]]);

    const window = { fromMs: Date.parse('2026-11-23T01:30:00Z'), toMs: Date.parse('2026-11-23T03:00:00Z') };
    assert.deepEqual((await sumUsage(client, 'user', window)).map((t) => [t.name, t.jobs]), [[ALICE, 1], [BOB, 1]]);
    assert.deepEqual((await sumUsage(client, 'site', window, { owner: ALICE })).map((t) => [t.name, t.jobs, t.cost]), [['beta', 1, 0.5]]);
    assert.deepEqual((await listUsage(client, {}, 10, { owner: ALICE })).map((r) => [r.jobId, r.exitCode]), [['a2', 0], ['a1', 0]]);
  });

  it('pages through more records than one read returns', async () => {
    const client = redis.client;
    const base = Date.parse('2026-11-22T00:00:00Z');
    for (let n = 0; n < 1205; n += 1) {
      await recordUsage(client, record(`c${n}`, '/O=Grid/CN=Carol', new Date(base + n * 1000).toISOString(), { cost: 0 }), CONFIG);
    }
    const carol = { owner: '/O=Grid/CN=Carol' };
    assert.equal((await sumUsage(client, 'user', { fromMs: base }, carol))[0]?.jobs, 1205);
    assert.equal((await sumUsage(client, 'user', { fromMs: base, toMs: base + 99_000 }, carol))[0]?.jobs, 100);
    const newest = await listUsage(client, {}, 1000, carol);
    assert.equal(newest.length, 1000);
    assert.equal(newest[0]?.jobId, 'c1204');
    assert.deepEqual((await listUsage(client, { toMs: base + 2000 }, 1000, carol)).map((r) => r.jobId), ['c2', 'c1', 'c0']);
  });
});

describe('fair share state in Redis', () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  const spec = { count: 2, maxWallTime: 30 } as JobSpec;

  it('charges a placed job once, and swaps the charge for its usage when it ends, announcing it', async () => {
    const client = redis.client;
    await chargeRunning(client, { id: 'j1', owner: ALICE, spec });
    await chargeRunning(client, { id: 'j1', owner: ALICE, spec }); // placed again after a loss
    await chargeRunning(client, { id: 'j2', owner: ALICE, spec });
    assert.deepEqual(await readShares(client, [ALICE, BOB], 3600), new Map([[ALICE, { usage: 0, running: 7200 }], [BOB, { usage: 0, running: 0 }]]));

    const listener = client.duplicate();
    const heard = new Promise<string>((resolve) => listener.once('message', (_channel: string, jobId: string) => resolve(jobId)));
    await listener.subscribe(FAIR_SHARE_SETTLED_CHANNEL);
    await settleEnded(client, { jobId: 'j1', owner: ALICE, cpuSeconds: 100 }, 3600);
    assert.equal(await heard, 'j1');
    listener.disconnect();
    const share = (await readShares(client, [ALICE], 3600)).get(ALICE)!;
    assert.equal(share.running, 3600);
    assert.ok(share.usage > 99.9 && share.usage <= 100, `usage ${share.usage}`);
  });

  it('decays usage by its half-life between updates', async () => {
    const client = redis.client;
    const now = Date.now();
    await settleEnded(client, { jobId: 'k1', owner: BOB, cpuSeconds: 1000 }, 3600, now - 3_600_000);
    assert.ok(Math.abs((await readShares(client, [BOB], 3600, now)).get(BOB)!.usage - 500) < 1e-3);
    await settleEnded(client, { jobId: 'k2', owner: BOB, cpuSeconds: 500 }, 3600, now);
    assert.ok(Math.abs((await readShares(client, [BOB], 3600, now + 7_200_000)).get(BOB)!.usage - 250) < 1e-3);
  });
});
