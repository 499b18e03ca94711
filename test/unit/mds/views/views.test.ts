/**
 * The views checked against Debian's glue-schema (GLUE20.schema): every GLUE 2.0 entry lists its
 * whole objectClass chain, carries each class's MUST attributes, and uses only attributes its
 * classes allow, spelled exactly as the schema spells them.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { SiteRecord } from '../../../../services/common/site-registry.ts';
import type { Entry } from '../../../../services/mds/directory/entry.ts';
import { glue2Entries } from '../../../../services/mds/views/glue2-view.ts';
import { mdsEntries } from '../../../../services/mds/views/mds-view.ts';
import { namingContextEntries } from '../../../../services/mds/views/naming-contexts.ts';
import { siteEntries } from '../../../../services/mds/views/site-entries.ts';
import { readSchema } from './read-schema.ts';

const GLUE20 = '/etc/ldap/schema/GLUE20.schema';

const record: SiteRecord = {
  name: 'alpha',
  contact: 'node1.example.org:4242',
  lrms: 'fork',
  totalSlots: 8,
  updatedAt: '2024-05-01T12:00:00.000Z',
  ttlSeconds: 15,
  memoryMB: 4096,
  opSys: 'linux',
  arch: 'x86_64',
  tags: ['blast', 'python3'],
  maxWallTimeMinutes: 120,
  pricePerCpuHour: 0.05,
  vos: ['atlas', 'cms'],
  policy: 'my.Count <= 4',
  runningJobs: 2,
};
const snapshot = { record, reservedSlots: 3, reservedJobs: 3 };
const options = { endpointUrl: 'https://localhost:8443/wsrf/services/ManagedJobFactoryService' };

function values(entry: Entry, name: string): readonly string[] {
  return entry.attributes.get(name.toLowerCase())?.values ?? [];
}

describe('the GLUE 2.0 view', () => {
  it('matches glue-schema: whole objectClass chains, MUST attributes, allowed names spelled as the schema', { skip: !existsSync(GLUE20) && 'glue-schema is not installed' }, () => {
    const schema = readSchema(GLUE20);
    const entries = [...glue2Entries(snapshot, options), ...namingContextEntries().filter((e) => e.dn.includes('GLUE2'))];
    assert.equal(entries.length, 11);
    for (const entry of entries) {
      const classes = values(entry, 'objectClass');
      const allowed = new Set(['objectclass']);
      for (const name of classes) {
        const definition = schema.classes.get(name.toLowerCase());
        assert.ok(definition, `${entry.dn}: objectClass ${name} is not in GLUE20.schema`);
        assert.ok(definition.names.includes(name), `${entry.dn}: objectClass ${name} is spelled ${definition.names[0]} in the schema`);
        for (const parent of definition.sup) assert.ok(classes.includes(parent), `${entry.dn}: ${name} needs its superclass ${parent} listed`);
        for (const must of definition.must) assert.ok(entry.attributes.has(must.toLowerCase()), `${entry.dn}: ${name} MUST ${must}`);
        for (const attribute of [...definition.must, ...definition.may]) allowed.add(attribute.toLowerCase());
      }
      for (const attribute of entry.attributeList) {
        const key = attribute.name.toLowerCase();
        if (key === 'objectclass') continue; // core.schema's, not GLUE's
        assert.equal(schema.attributes.get(key), attribute.name, `${entry.dn}: ${attribute.name} is not spelled as the schema spells it`);
        assert.ok(allowed.has(key), `${entry.dn}: no objectClass of the entry allows ${attribute.name}`);
      }
    }
  });

  it('lays out the tree a top-level BDII publishes, with foreign keys that point at real IDs', () => {
    const entries = glue2Entries(snapshot, options);
    const byClass = (name: string) => entries.filter((e) => values(e, 'objectClass').at(-1) === name);
    const [domain] = byClass('GLUE2AdminDomain');
    const [service] = byClass('GLUE2ComputingService');
    const [share] = byClass('GLUE2ComputingShare');
    const [environment] = byClass('GLUE2ExecutionEnvironment');
    assert.equal(domain?.dn, 'GLUE2DomainID=alpha,GLUE2GroupID=grid,o=glue');
    assert.equal(service?.dn, 'GLUE2ServiceID=alpha-cs,GLUE2DomainID=alpha,GLUE2GroupID=grid,o=glue');
    for (const child of ['GLUE2ComputingEndpoint', 'GLUE2ComputingShare', 'GLUE2ComputingManager', 'GLUE2ExecutionEnvironment']) {
      assert.equal(byClass(child)[0]?.parentNdn, service?.ndn, `${child} is a child of the service`);
    }
    assert.equal(byClass('GLUE2ApplicationEnvironment').length, 2);
    assert.deepEqual(values(service as Entry, 'GLUE2ServiceAdminDomainForeignKey'), ['alpha']);
    assert.deepEqual(values(share as Entry, 'GLUE2ComputingShareFreeSlots'), ['5']);
    assert.deepEqual(values(share as Entry, 'GLUE2ComputingShareRunningJobs'), ['2']);
    assert.deepEqual(values(share as Entry, 'GLUE2ComputingShareWaitingJobs'), ['1']);
    assert.deepEqual(values(share as Entry, 'GLUE2ComputingShareMaxWallTime'), ['7200']); // seconds
    assert.deepEqual(values(share as Entry, 'GLUE2EntityOtherInfo'), ['PricePerCpuHour=0.05', 'Policy=my.Count <= 4']);
    assert.deepEqual(values(environment as Entry, 'GLUE2ExecutionEnvironmentPlatform'), ['amd64']);
    assert.deepEqual(values(byClass('GLUE2MappingPolicy')[0] as Entry, 'GLUE2PolicyRule'), ['vo:atlas', 'vo:cms']);
    assert.deepEqual(values(domain as Entry, 'GLUE2EntityCreationTime'), ['2024-05-01T12:00:00Z']);
  });

  it('renders a record from an older agent (no optional fields) with every MUST attribute still there', () => {
    const bare = glue2Entries({ record: { name: 'old', contact: 'x', lrms: 'fork', totalSlots: 1, updatedAt: '', ttlSeconds: 15 }, reservedSlots: 0, reservedJobs: 0 }, options);
    const environment = bare.find((e) => values(e, 'objectClass').includes('GLUE2ExecutionEnvironment'));
    assert.deepEqual(values(environment as Entry, 'GLUE2ExecutionEnvironmentOSFamily'), ['unknown']);
    assert.deepEqual(values(bare.find((e) => values(e, 'objectClass').includes('GLUE2AccessPolicy')) as Entry, 'GLUE2PolicyRule'), ['ALL']);
  });
});

describe('the Mds view', () => {
  it('publishes one Mds-Host-hn entry per site with the information model, and its queue', () => {
    const [host, queue] = mdsEntries(snapshot);
    assert.equal(host?.dn, 'Mds-Host-hn=alpha,Mds-Vo-name=local,o=grid');
    assert.deepEqual(values(host as Entry, 'objectClass').slice(0, 2), ['Mds', 'MdsHost']);
    const expected: Record<string, string[]> = {
      'Mds-Host-hn': ['alpha'],
      'Mds-Service-contact': ['node1.example.org:4242'],
      'Mds-Service-Gram-schedulertype': ['fork'],
      'Mds-Cpu-Total-count': ['8'],
      'Mds-Cpu-Free-count': ['5'],
      'Mds-Job-Running-count': ['2'],
      'Mds-Job-Waiting-count': ['1'],
      'Mds-Memory-Ram-Total-sizeMB': ['4096'],
      'Mds-Os-name': ['linux'],
      'Mds-Computer-isa': ['x86_64'],
      'Mds-Software-tag': ['blast', 'python3'],
      'Mds-Job-maxWallTime': ['120'],
      'Mds-Price-perCpuHour': ['0.05'],
      'Mds-Vo-allowed': ['atlas', 'cms'],
      'Mds-Site-policy': ['my.Count <= 4'],
      'Mds-validfrom': ['20240501120000Z'],
      'Mds-validto': ['20240501120015Z'],
    };
    for (const [name, wanted] of Object.entries(expected)) {
      assert.equal(host?.attributes.get(name.toLowerCase())?.name, name, `${name} spelled as MDS2 spells it`);
      assert.deepEqual(values(host as Entry, name), wanted, name);
    }
    assert.equal(queue?.dn, 'Mds-Job-Queue-name=default,Mds-Host-hn=alpha,Mds-Vo-name=local,o=grid');
    assert.deepEqual(values(queue as Entry, 'Mds-Computer-Total-Free-nodeCount'), ['5']);
    assert.deepEqual(values(queue as Entry, 'Mds-Gram-Job-Queue-maxtime'), ['120']);
  });

  it('escapes DN-special characters in a site name in every DN it makes', () => {
    const name = 'we,ird+"\\<>;=site';
    const entries = siteEntries({ ...snapshot, record: { ...record, name } }, options);
    assert.equal(entries[0]?.dn, 'Mds-Host-hn=we\\,ird\\+\\"\\\\\\<\\>\\;\\=site,Mds-Vo-name=local,o=grid');
    for (const entry of entries) {
      assert.ok(entry.ndn.endsWith(',o=grid') || entry.ndn.endsWith(',o=glue'), entry.dn);
      assert.equal(entry.owner, name);
    }
    assert.deepEqual(values(entries[0] as Entry, 'Mds-Host-hn'), [name]);
  });
});
