/**
 * The index as LDAP users meet it: OpenLDAP's own ldapsearch, ldapadd, ldapmodify, ldapdelete and
 * ldapcompare (Debian ldap-utils), and python-ldap, against the index fed through the real site
 * registry and Redis.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { dnsOf, ldapsearch, run, site, startTestIndex, type TestIndex } from './support.ts';

const WEIRD = 'we,ird+"\\<>;=site';
const MDS = 'Mds-Vo-name=local,o=grid';

describe('the index answers stock LDAP clients', () => {
  let grid: TestIndex;
  let url: string;

  before(async () => {
    grid = await startTestIndex({ sizeLimit: 500 });
    url = grid.url;
    await grid.sites.publish(site('alpha', { totalSlots: 4, tags: ['blast', 'python3'], policy: 'my.Count <= 4' }));
    await grid.sites.publish(site('beta', { totalSlots: 2, opSys: 'Linux', vos: ['atlas', 'cms'] }));
    await grid.sites.publish(site(WEIRD, { totalSlots: 1 }));
    await grid.index.settled();
  });
  after(async () => grid?.stop());

  it('finds MdsHost entries case-insensitively: (objectclass=mdshost)', async () => {
    const result = await ldapsearch(url, '-b', MDS, '(objectclass=mdshost)', 'Mds-Host-hn');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      dnsOf(result.stdout).sort(),
      [`Mds-Host-hn=alpha,${MDS}`, `Mds-Host-hn=beta,${MDS}`, `Mds-Host-hn=we\\,ird\\+\\"\\\\\\<\\>\\;\\=site,${MDS}`].sort(),
    );
    assert.match(result.stdout, /^Mds-Host-hn: alpha$/m);
    assert.doesNotMatch(result.stdout, /Mds-Cpu-Total-count/); // only what was asked for
    const upper = await ldapsearch(url, '-b', 'MDS-VO-NAME=LOCAL, O=GRID', '(OBJECTCLASS=MDSHOST)', '1.1');
    assert.equal(dnsOf(upper.stdout).length, 3);
  });

  it('searches base, one-level and subtree scopes', async () => {
    const base = await ldapsearch(url, '-s', 'base', '-b', `Mds-Host-hn=alpha,${MDS}`, '(objectClass=*)');
    assert.equal(base.status, 0, base.stderr);
    assert.deepEqual(dnsOf(base.stdout), [`Mds-Host-hn=alpha,${MDS}`]);
    assert.match(base.stdout, /^Mds-Cpu-Total-count: 4$/m);
    assert.match(base.stdout, /^Mds-Software-tag: python3$/m);
    assert.match(base.stdout, /^Mds-Site-policy: my.Count <= 4$/m);
    const one = await ldapsearch(url, '-s', 'one', '-b', 'GLUE2ServiceID=alpha-cs,GLUE2DomainID=alpha,GLUE2GroupID=grid,o=glue', '(objectClass=*)', '1.1');
    assert.deepEqual(dnsOf(one.stdout).map((dn) => dn.split(',')[0]).sort(), [
      'GLUE2EndpointID=alpha-ep', 'GLUE2ManagerID=alpha-lrms', 'GLUE2ResourceID=alpha-ee', 'GLUE2ShareID=alpha-default',
    ]);
    const sub = await ldapsearch(url, '-s', 'sub', '-b', 'GLUE2DomainID=alpha,GLUE2GroupID=grid,o=glue', '(objectClass=*)', '1.1');
    assert.equal(dnsOf(sub.stdout).length, 10); // domain, service, 4 children, 2 policies, 2 application environments
    const missing = await ldapsearch(url, '-b', `Mds-Host-hn=nowhere,${MDS}`);
    assert.equal(missing.status, 32);
    assert.match(missing.stderr, /No such object \(32\)\s+Matched DN: Mds-Vo-name=local,o=grid/);
  });

  it('serves the GLUE 2.0 tree under o=glue', async () => {
    const shares = await ldapsearch(url, '-b', 'o=glue', '(objectClass=GLUE2ComputingShare)');
    assert.equal(shares.status, 0, shares.stderr);
    assert.equal(dnsOf(shares.stdout).length, 3);
    assert.match(shares.stdout, /^dn: GLUE2ShareID=alpha-default,GLUE2ServiceID=alpha-cs,GLUE2DomainID=alpha,GLUE2GroupID=grid,o=glue$/m);
    assert.match(shares.stdout, /^objectClass: GLUE2ComputingShare$/m);
    assert.match(shares.stdout, /^GLUE2ComputingShareFreeSlots: 2$/m);
  });

  it('evaluates substring, ordering, approximate, presence, and/or/not filters', async () => {
    const count = async (filter: string) => dnsOf((await ldapsearch(url, '-b', 'o=grid', filter, '1.1')).stdout).length;
    assert.equal(await count('(Mds-Host-hn=al*)'), 1);
    assert.equal(await count('(Mds-Host-hn=*ET*)'), 1);
    assert.equal(await count('(mds-host-hn=*a)'), 2);
    assert.equal(await count('(&(objectClass=MdsHost)(Mds-Cpu-Total-count>=2))'), 2);
    assert.equal(await count('(&(objectClass=MdsHost)(Mds-Cpu-Total-count<=1))'), 1);
    assert.equal(await count('(Mds-Os-name~=LINUX)'), 3);
    assert.equal(await count('(Mds-Site-policy=*)'), 1);
    assert.equal(await count('(&(objectClass=MdsHost)(!(Mds-Host-hn=alpha)))'), 2);
    assert.equal(await count('(|(Mds-Vo-allowed=cms)(Mds-Software-tag=python3))'), 2);
    assert.equal(await count('(Mds-Software-tag:caseExactMatch:=BLAST)'), 0);
  });

  it('finds the site whose name holds DN-special characters by its escaped DN', async () => {
    const result = await ldapsearch(url, '-s', 'base', '-b', `Mds-Host-hn=we\\2cird\\2b\\22\\5c\\3c\\3e\\3b\\3dsite, ${MDS}`, 'Mds-Host-hn');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Mds-Host-hn: we,ird\+"\\<>;=site$/m);
  });

  it('returns attribute names only with -A (typesOnly)', async () => {
    const result = await ldapsearch(url, '-A', '-s', 'base', '-b', `Mds-Host-hn=beta,${MDS}`);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Mds-Cpu-Total-count:\s*$/m);
    assert.doesNotMatch(result.stdout, /Mds-Cpu-Total-count: 2/);
  });

  it('stops at a client size limit with exit status 4, and at its own', async () => {
    const limited = await ldapsearch(url, '-z', '1', '-b', 'o=glue', '(objectClass=GLUE2Service)', '1.1');
    assert.equal(limited.status, 4);
    assert.match(limited.stderr, /Size limit exceeded \(4\)/);
    assert.equal(dnsOf(limited.stdout).length, 1);
  });

  it('pages results with the paged-results control', async () => {
    const paged = await ldapsearch(url, '-E', 'pr=1/noprompt', '-b', 'o=glue', '(objectClass=GLUE2ComputingService)', '1.1');
    assert.equal(paged.status, 0, paged.stderr);
    assert.equal(dnsOf(paged.stdout).length, 3);
    assert.equal([...paged.stdout.matchAll(/# pagedresults: .*cookie=/g)].length, 3);
  });

  it('shows the root DSE with both naming contexts', async () => {
    const result = await ldapsearch(url, '-s', 'base', '-b', '');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^namingContexts: Mds-Vo-name=local,o=grid$/m);
    assert.match(result.stdout, /^namingContexts: o=glue$/m);
    assert.match(result.stdout, /^supportedLDAPVersion: 3$/m);
    assert.match(result.stdout, /^supportedControl: 1\.2\.840\.113556\.1\.4\.319$/m);
  });

  it('compares values (ldapcompare)', async () => {
    const yes = await run('ldapcompare', ['-x', '-H', url, `Mds-Host-hn=alpha,${MDS}`, 'mds-cpu-total-count:4']);
    assert.equal(yes.status, 6, yes.stderr);
    const no = await run('ldapcompare', ['-x', '-H', url, `Mds-Host-hn=alpha,${MDS}`, 'mds-cpu-total-count:5']);
    assert.equal(no.status, 5, no.stderr);
  });

  it('refuses every write with insufficientAccessRights (50) and password binds with invalidCredentials (49)', async () => {
    const add = await run('ldapadd', ['-x', '-H', url], 'dn: Mds-Host-hn=evil,Mds-Vo-name=local,o=grid\nobjectClass: MdsHost\nMds-Host-hn: evil\n');
    assert.equal(add.status, 50);
    assert.match(add.stderr, /Insufficient access \(50\)[\s\S]*MDS_READ_ONLY/);
    const modify = await run('ldapmodify', ['-x', '-H', url], `dn: Mds-Host-hn=alpha,${MDS}\nchangetype: modify\nreplace: Mds-Cpu-Total-count\nMds-Cpu-Total-count: 999\n`);
    assert.equal(modify.status, 50);
    const remove = await run('ldapdelete', ['-x', '-H', url, `Mds-Host-hn=alpha,${MDS}`]);
    assert.equal(remove.status, 50);
    const still = await ldapsearch(url, '-s', 'base', '-b', `Mds-Host-hn=alpha,${MDS}`, 'Mds-Cpu-Total-count');
    assert.match(still.stdout, /^Mds-Cpu-Total-count: 4$/m);
    const bind = await ldapsearch(url, '-D', 'cn=admin,o=grid', '-w', 'secret', '-b', MDS);
    assert.equal(bind.status, 49);
    assert.match(bind.stderr, /Invalid credentials \(49\)/);
  });

  it('answers python-ldap too', { skip: !existsSync('/usr/bin/python3') && 'no /usr/bin/python3' }, async (t) => {
    const probe = await run('/usr/bin/python3', ['-c', 'import ldap']);
    if (probe.status !== 0) {
      t.skip('python3-ldap is not installed');
      return;
    }
    const script = [
      'import ldap, sys, json',
      'c = ldap.initialize(sys.argv[1])',
      'c.simple_bind_s("", "")',
      'r = c.search_s("o=glue", ldap.SCOPE_SUBTREE, "(objectclass=glue2computingservice)", ["GLUE2ServiceID", "GLUE2ComputingServiceRunningJobs"])',
      'print(json.dumps(sorted([attrs["GLUE2ServiceID"][0].decode() for dn, attrs in r])))',
    ].join('\n');
    const result = await run('/usr/bin/python3', ['-c', script, url]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), ['alpha-cs', 'beta-cs', `${WEIRD}-cs`]);
  });
});
