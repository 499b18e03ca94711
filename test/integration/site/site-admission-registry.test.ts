/**
 * What a site with a grid-mapfile leaves in Redis for brokers, on a real redis-server: digests of
 * the DNs it admits beside its record, living as long as the record; a broker (another registry)
 * reads them, and reads a changed set again; a lost set is written again at the next refresh; a
 * site that drops its map admits everyone again. The map's DNs and accounts never reach Redis.
 * A site agent whose grid-mapfile is broken does not start.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../services/common/config.ts';
import { createRedisJobStore } from '../../../services/common/job-store.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { siteAdmitsKey, siteKey } from '../../../services/common/redis-keys.ts';
import {
  admittedOwners,
  createRedisSiteRegistry,
  siteRecordFromHash,
  type SiteRecord,
} from '../../../services/common/site-registry.ts';
import { isGridError } from '../../../services/common/errors.ts';
import { globusDnKey } from '../../../services/gsi/index.ts';
import { SITE_KNOBS, createSiteAgentService } from '../../../services/site/index.ts';
import { startRedis, type TestRedis } from '../../support/redis-server.ts';

const DEV = '/O=Grid/OU=Weft/CN=Dev User';
const ANN = '/O=Grid/OU=Weft/CN=Ann Other';

const record = (name: string, extra: Partial<SiteRecord> = {}): SiteRecord => ({
  name,
  contact: 'host:1',
  lrms: 'fork',
  totalSlots: 2,
  updatedAt: new Date().toISOString(),
  ttlSeconds: 30,
  ...extra,
});

describe('the admitted-owners set in Redis', () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  it('is published beside the record with its TTL, read by brokers, and holds no DN or account', async () => {
    const site = createRedisSiteRegistry(redis.client);
    const broker = createRedisSiteRegistry(redis.client);
    const devOnly = admittedOwners([globusDnKey(DEV)]);
    await site.publish(record('mapped', { admits: devOnly }));
    const ttl = await redis.client.ttl(siteAdmitsKey('mapped'));
    assert.ok(ttl > 25 && ttl <= 30, `TTL ${ttl}`);
    const [live] = await broker.listLive();
    assert.deepEqual([...(live?.admits?.digests ?? [])], [...devOnly.digests]);
    const stored = JSON.stringify([await redis.client.hgetall(siteKey('mapped')), await redis.client.smembers(siteAdmitsKey('mapped'))]);
    assert.ok(!/Dev User|weft/i.test(stored.replace(/weft:/g, '')), stored);
    // The record as the LDAP index reads it says nothing of the map.
    assert.equal(siteRecordFromHash('mapped', await redis.client.hgetall(siteKey('mapped')))?.admits, undefined);

    // The map changes: the broker's next listing has the new set.
    const both = admittedOwners([globusDnKey(DEV), globusDnKey(ANN)]);
    await site.publish(record('mapped', { admits: both }));
    assert.equal((await broker.listLive())[0]?.admits?.digests.size, 2);
  });

  it('is written again when it was lost, and removed when the site drops its map', async () => {
    const site = createRedisSiteRegistry(redis.client);
    const admits = admittedOwners([globusDnKey(DEV)]);
    await site.publish(record('lossy', { admits }));
    await redis.client.expire(siteAdmitsKey('lossy'), 5);
    await site.publish(record('lossy', { admits }));
    assert.ok((await redis.client.ttl(siteAdmitsKey('lossy'))) > 25, 'a refresh renews the set with the record');
    await redis.client.del(siteAdmitsKey('lossy'));
    await site.publish(record('lossy', { admits }));
    assert.equal(await redis.client.scard(siteAdmitsKey('lossy')), 2); // the digest and the version
    await site.publish(record('lossy'));
    assert.equal(await redis.client.exists(siteAdmitsKey('lossy')), 0);
    const live = (await createRedisSiteRegistry(redis.client).listLive()).find((s) => s.name === 'lossy');
    assert.ok(live);
    assert.equal(live.admits, undefined);
  });

  it('a site agent whose grid-mapfile is broken or missing does not start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-bad-map-'));
    try {
      const bad = join(dir, 'grid-mapfile');
      writeFileSync(bad, `"${DEV}" weft\n"unterminated weft\n`);
      const deps = { redis: redis.client, jobs: createRedisJobStore(redis.client), sites: createRedisSiteRegistry(redis.client), logger: silentLogger(), home: dir };
      const agent = createSiteAgentService(deps, loadConfig(SITE_KNOBS, {}, { name: 'badmap', gridMapfile: bad }));
      await assert.rejects(agent.start(), (error: unknown) => isGridError(error, 'GSI_GRID_MAPFILE_SYNTAX') && /line 2/.test(error.message));
      const missing = createSiteAgentService(deps, loadConfig(SITE_KNOBS, {}, { name: 'badmap', gridMapfile: join(dir, 'nope') }));
      await assert.rejects(missing.start(), (error: unknown) => isGridError(error, 'SITE_GRID_MAPFILE_UNREADABLE'));
      assert.equal(await redis.client.exists(siteKey('badmap')), 0, 'a site that did not start was published');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
