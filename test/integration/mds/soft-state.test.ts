/**
 * Soft state as LDAP clients see it: an entry lives only while its site keeps refreshing it,
 * brokers' reservations show up as fewer free CPUs, and every index process on one Redis — a
 * late starter too, or one whose notifications were lost — shows the same sites.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dnsOf, ldapsearch, site, startTestIndex, waitFor, type TestIndex } from './support.ts';

const MDS = 'Mds-Vo-name=local,o=grid';

describe('the index follows soft state in Redis', () => {
  let grid: TestIndex;

  before(async () => {
    grid = await startTestIndex();
  });
  after(async () => grid?.stop());

  const hosts = async (url: string) => dnsOf((await ldapsearch(url, '-b', MDS, '(objectClass=MdsHost)', '1.1')).stdout);

  it('drops a site whose TTL passes without a refresh', async () => {
    await grid.sites.publish(site('fleeting', { ttlSeconds: 1 }));
    await waitFor('the new site to appear', async () => (await hosts(grid.url)).includes(`Mds-Host-hn=fleeting,${MDS}`));
    const glue = await ldapsearch(grid.url, '-b', 'o=glue', '(GLUE2DomainID=fleeting)', '1.1');
    assert.equal(dnsOf(glue.stdout).length, 1);
    await waitFor('the expired site to vanish', async () => !(await hosts(grid.url)).includes(`Mds-Host-hn=fleeting,${MDS}`), 5000);
    const gone = await ldapsearch(grid.url, '-b', 'o=glue', '(|(GLUE2DomainID=fleeting)(GLUE2ServiceAdminDomainForeignKey=fleeting))', '1.1');
    assert.deepEqual(dnsOf(gone.stdout), []);
  });

  it('shows brokers’ reservations as fewer free CPUs, and releases as more', async () => {
    await grid.sites.publish(site('busy', { totalSlots: 4 }));
    const free = async () => (await ldapsearch(grid.url, '-s', 'base', '-b', `Mds-Host-hn=busy,${MDS}`, 'Mds-Cpu-Free-count', 'Mds-Job-Waiting-count')).stdout;
    await waitFor('busy to appear', async () => /Mds-Cpu-Free-count: 4/.test(await free()));
    assert.equal(await grid.sites.reserve('busy', 'job-1', 3), true);
    await waitFor('the reservation to show', async () => /Mds-Cpu-Free-count: 1\n/.test(await free()));
    assert.match(await free(), /^Mds-Job-Waiting-count: 1$/m);
    await grid.sites.release('busy', 'job-1');
    await waitFor('the release to show', async () => /Mds-Cpu-Free-count: 4\n/.test(await free()));
  });

  it('serves the same sites from several index processes, a late starter and a deaf one included', async () => {
    await grid.sites.publish(site('shared'));
    const late = await grid.startAnother({ resyncSeconds: 1 });
    const lateUrl = `ldap://127.0.0.1:${late.port()}`;
    assert.ok((await hosts(lateUrl)).includes(`Mds-Host-hn=shared,${MDS}`), 'a new index loads every live site at start');
    // With notifications off, the periodic resync still brings a new site in.
    await grid.redis.client.config('SET', 'notify-keyspace-events', '');
    try {
      await grid.sites.publish(site('quiet'));
      await waitFor('the resync to find the quiet site', async () => (await hosts(lateUrl)).includes(`Mds-Host-hn=quiet,${MDS}`), 4000);
    } finally {
      await grid.redis.client.config('SET', 'notify-keyspace-events', 'Khgx');
    }
  });
});
