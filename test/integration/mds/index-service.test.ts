/**
 * The write side of the index as users meet it: a site administrator registers a site over SOAP
 * (and with `weft site …`), stock `ldapsearch` sees it in the index, a refresh keeps it past its
 * TTL, unregistering or letting the TTL pass removes it; anyone else is refused with
 * MDS_NOT_SITE_ADMIN and a bad document with MDS_BAD_REGISTRATION, and neither changes anything.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../services/common/config.ts';
import { siteQuarantineKey } from '../../../services/common/redis-keys.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { issueUserCertificate } from '../../../services/gsi/index.ts';
import { createIndexService, createParentIndex, MDS_KNOBS, type IndexService, type SiteDocument } from '../../../services/mds/index.ts';
import { getSite, indexServiceUrl, querySites, refreshSite, registerSite, unregisterSite } from '../../../services/cli/index-client.ts';
import type { ClientCredentials } from '../../../services/cli/gram-client.ts';
import { devUserEnv } from '../../support/dev-user-env.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { envelope, faultCode, rawRequest } from '../../support/raw-soap.ts';
import { runWeft } from '../../support/run-weft.ts';
import { dnsOf, ldapsearch, waitFor } from './support.ts';

const MDS = 'Mds-Vo-name=local,o=grid';

describe('IndexService: registration by site administrators, visible in the LDAP index', () => {
  let grid: TestGrid;
  let index: IndexService;
  let ldapUrl: string;
  let url: string;
  let stranger: ClientCredentials;
  let alphaAdmin: ClientCredentials;
  const scratch = mkdtempSync(join(tmpdir(), 'weft-index-'));

  before(async () => {
    grid = await startTestGrid();
    await grid.redis.client.config('SET', 'notify-keyspace-events', 'Khgx');
    index = createIndexService({ redis: grid.redis.client, logger: silentLogger() }, loadConfig(MDS_KNOBS, {}, { port: 0, resyncSeconds: 60 }));
    await index.start();
    ldapUrl = `ldap://127.0.0.1:${index.port()}`;
    url = indexServiceUrl(grid.baseUrl);
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    const mint = async (cn: string) => ({ ...(await issueUserCertificate(ca, { subjectDn: `/O=Grid/OU=Weft/CN=${cn}`, days: 1 })), chainPems: [], caPems: grid.caPems });
    stranger = await mint('Somebody Else');
    alphaAdmin = await mint('Alpha Admin');
    appendFileSync(join(grid.certsDir, 'grid-security', 'site-admins'), '"/O=Grid/OU=Weft/CN=Alpha Admin" alpha2\n');
  });
  after(async () => {
    await index?.stop();
    await grid?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const doc = (name: string, more: Partial<SiteDocument> = {}): SiteDocument => ({
    name, contact: `${name}.example.org:2119`, lrms: 'slurm', totalCpus: 16, tags: ['blast'], vos: ['atlas'], ttlSeconds: 120, ...more,
  });
  const hosts = async () => dnsOf((await ldapsearch(ldapUrl, '-b', MDS, '(objectClass=MdsHost)', '1.1')).stdout);
  const listed = async (name: string) => (await hosts()).includes(`Mds-Host-hn=${name},${MDS}`);

  it('registers a site that ldapsearch then finds, with what the document said', async () => {
    const info = await registerSite(url, doc('gamma', { pricePerCpuHour: 0.25, memoryMB: 4096 }), grid.user);
    assert.equal(info.freeCpus, 16);
    assert.equal(info.expiresInSeconds, 120);
    await waitFor('gamma in the index', () => listed('gamma'));
    const entry = await ldapsearch(ldapUrl, '-s', 'base', '-b', `Mds-Host-hn=gamma,${MDS}`, 'Mds-Cpu-Total-count', 'Mds-Service-Gram-schedulertype', 'Mds-Software-tag', 'Mds-Price-perCpuHour');
    assert.match(entry.stdout, /^Mds-Cpu-Total-count: 16$/m);
    assert.match(entry.stdout, /^Mds-Service-Gram-schedulertype: slurm$/m);
    assert.match(entry.stdout, /^Mds-Software-tag: blast$/m);
    assert.match(entry.stdout, /^Mds-Price-perCpuHour: 0.25$/m);
    const glue = await ldapsearch(ldapUrl, '-b', 'o=glue', '(GLUE2DomainID=gamma)', '1.1');
    assert.equal(dnsOf(glue.stdout).length, 1);
    assert.deepEqual((await querySites(url, '(&(Mds-Software-tag=blast)(Mds-Cpu-Total-count>=16))', grid.user)).map((s) => s.name), ['gamma']);
    assert.equal((await getSite(url, 'gamma', grid.user)).contact, 'gamma.example.org:2119');
  });

  it('unregisters a site, and its entries vanish from the index', async () => {
    await registerSite(url, doc('delta'), grid.user);
    await waitFor('delta in the index', () => listed('delta'));
    assert.equal(await unregisterSite(url, 'delta', grid.user), true);
    await waitFor('delta to vanish', async () => !(await listed('delta')));
    assert.equal(await unregisterSite(url, 'delta', grid.user), false, 'a second unregister removes nothing');
    await assert.rejects(getSite(url, 'delta', grid.user), { code: 'MDS_SITE_NOT_FOUND' });
  });

  it('keeps a refreshed site past its TTL, and drops it when refreshes stop', { timeout: 40_000 }, async () => {
    await registerSite(url, doc('brief', { ttlSeconds: 10 }), grid.user);
    await waitFor('brief in the index', () => listed('brief'));
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const refreshed = await refreshSite(url, 'brief', grid.user);
    assert.ok(refreshed.expiresInSeconds >= 9, `expires in ${refreshed.expiresInSeconds}`);
    await new Promise((resolve) => setTimeout(resolve, 5500)); // 11.5 s after registering
    assert.ok(await listed('brief'), 'the refresh kept it past its first TTL');
    await waitFor('brief to expire', async () => !(await listed('brief')), 10_000);
    await assert.rejects(refreshSite(url, 'brief', grid.user), { code: 'MDS_SITE_NOT_FOUND' });
  });

  it('refuses a caller who does not administer the site, and changes nothing', async () => {
    await registerSite(url, doc('owned'), grid.user);
    for (const attempt of [
      () => registerSite(url, doc('owned', { totalCpus: 1 }), stranger),
      () => refreshSite(url, 'owned', stranger),
      () => unregisterSite(url, 'owned', stranger),
      () => registerSite(url, doc('owned', { totalCpus: 1 }), alphaAdmin),
    ]) {
      await assert.rejects(attempt(), (error: { code: string; message: string }) => {
        assert.equal(error.code, 'MDS_NOT_SITE_ADMIN');
        assert.match(error.message, /is not an administrator of the site owned/);
        return true;
      });
    }
    assert.equal((await getSite(url, 'owned', grid.user)).totalCpus, 16);
    await assert.rejects(registerSite(url, doc('newcomer'), stranger), { code: 'MDS_NOT_SITE_ADMIN' });
    await assert.rejects(getSite(url, 'newcomer', grid.user), { code: 'MDS_SITE_NOT_FOUND' });
    // An administrator of alpha2 alone may register alpha2.
    assert.equal((await registerSite(url, doc('alpha2'), alphaAdmin)).name, 'alpha2');
  });

  it('answers a bad document with MDS_BAD_REGISTRATION naming the field, and stores nothing', async () => {
    const post = (site: string) =>
      rawRequest(url, envelope(`<i:registerSite xmlns:i="http://weft.grid/ns/2026/index"><i:site>${site}</i:site></i:registerSite>`), { ...grid.user, caPems: grid.caPems });
    const base = '<i:contact>c.example.org</i:contact><i:lrms>fork</i:lrms>';
    const cases: Array<[string, RegExp]> = [
      [`<i:name>bad1</i:name>${base}<i:totalCpus>-4</i:totalCpus>`, /totalCpus is -4/],
      [`<i:name>bad2</i:name>${base}<i:totalCpus>lots</i:totalCpus>`, /totalCpus must be a whole number/],
      [`<i:name>bad,3</i:name>${base}<i:totalCpus>4</i:totalCpus>`, /field name is &quot;bad,3&quot;/],
      [`<i:name>${'b'.repeat(64)}</i:name>${base}<i:totalCpus>4</i:totalCpus>`, /64 characters long/],
      [`<i:name>bad5</i:name>${base}<i:totalCpus>4</i:totalCpus><i:colour>blue</i:colour>`, /field colour is not a site document field/],
      [`<i:name>bad6</i:name>${base}<i:totalCpus>4</i:totalCpus><i:ttlSeconds>999999</i:ttlSeconds>`, /ttlSeconds is 999999/],
    ];
    for (const [site, message] of cases) {
      const answer = await post(site);
      assert.equal(faultCode(answer.body), 'MDS_BAD_REGISTRATION', answer.body);
      assert.match(answer.body, message);
    }
    assert.deepEqual((await grid.redis.client.keys('weft:site:{bad*')), []);
  });

  it('forwards registrations to a parent index with the host credentials (GRIS → GIIS)', async () => {
    const security = join(grid.certsDir, 'grid-security');
    const parent = createParentIndex({
      contact: grid.baseUrl,
      certPem: readFileSync(join(security, 'hostcert.pem'), 'utf8'),
      keyPem: readFileSync(join(security, 'hostkey.pem'), 'utf8'),
      caPems: grid.caPems,
      wsdlDir: join(import.meta.dirname, '..', '..', '..', 'wsdl'),
      logger: silentLogger(),
    });
    parent.registered({ ...doc('child-site'), ttlSeconds: 60 });
    await parent.settled();
    assert.equal((await getSite(url, 'child-site', grid.user)).totalCpus, 16);
    parent.unregistered('child-site');
    await parent.settled();
    await assert.rejects(getSite(url, 'child-site', grid.user), { code: 'MDS_SITE_NOT_FOUND' });
  });

  it('works from the command line: weft site register, list, show, unregister, and grid-info-search', { timeout: 60_000 }, async () => {
    const env = devUserEnv(grid.certsDir);
    const file = join(scratch, 'epsilon.conf');
    writeFileSync(file, '# a site\nname = epsilon\ncontact = epsilon.example.org:2119\nlrms = fork\ntotalCpus = 6\ntags = blast, gromacs\nttlSeconds = 300\n');
    const registered = await runWeft(['site', 'register', file, '-r', grid.baseUrl], env);
    assert.equal(registered.status, 0, registered.stderr);
    assert.match(registered.stdout, /^registered epsilon: 6 CPUs \(fork\), expires in 5m00s unless refreshed$/m);

    const list = await runWeft(['site', 'list', '-r', grid.baseUrl], env);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^NAME +LRMS +CPUS\(TOTAL\/FREE\) +AGE +TTL-LEFT +STATUS$/m);
    assert.match(list.stdout, /^epsilon +fork +6\/6 +\d+s +\d+m\d\ds +ok$/m);

    const show = await runWeft(['site', 'show', 'epsilon', '-r', grid.baseUrl], env);
    assert.match(show.stdout, /^tags: blast, gromacs$/m);
    assert.match(show.stdout, /^status: ok$/m);

    // Quarantined the way a broker does it (services/broker/quarantine/start-failures.ts).
    await grid.redis.client.set(siteQuarantineKey('epsilon'), '2026-11-23T21:07:09.000Z', 'EX', 60);
    const quarantined = await runWeft(['site', 'list', '-r', grid.baseUrl], env);
    assert.match(quarantined.stdout, /^epsilon +fork +6\/6 +\d+s +\d+m\d\ds +quarantined until 21:07:09$/m);
    const showQuarantined = await runWeft(['site', 'show', 'epsilon', '-r', grid.baseUrl], env);
    assert.match(showQuarantined.stdout, /^status: quarantined until 21:07:09 UTC/m);
    await grid.redis.client.del(siteQuarantineKey('epsilon'));

    await waitFor('epsilon in the index', () => listed('epsilon'));
    const search = await runWeft(['grid-info-search', '-h', '127.0.0.1', '-p', String(index.port()), '(Mds-Host-hn=epsilon)', 'Mds-Cpu-Total-count'], env);
    assert.equal(search.status, 0, search.stderr);
    assert.match(search.stdout, /^dn: Mds-Host-hn=epsilon,Mds-Vo-name=local,o=grid\nMds-Cpu-Total-count: 6$/m);

    writeFileSync(file, 'name = epsilon\ncontact = x\nlrms = fork\ntotalCpus = -1\n');
    const bad = await runWeft(['site', 'register', file, '-r', grid.baseUrl], env);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /MDS_BAD_REGISTRATION: the field totalCpus is -1/);

    const gone = await runWeft(['site', 'unregister', 'epsilon', '-r', grid.baseUrl], env);
    assert.equal(gone.status, 0, gone.stderr);
    assert.match(gone.stdout, /^unregistered epsilon$/m);
    await waitFor('epsilon to vanish', async () => !(await listed('epsilon')));
  });
});
