import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Directory, type SearchQuery } from '../../../../services/mds/directory/directory.ts';
import { makeEntry } from '../../../../services/mds/directory/entry.ts';
import type { Filter } from '../../../../services/mds/directory/filter.ts';
import { normalizeDn } from '../../../../services/mds/directory/dn.ts';
import { matchesFilter } from '../../../../services/mds/directory/match-filter.ts';

const eq = (attribute: string, value: string): Filter => ({ type: 'equality', attribute, value });
const present = (attribute: string): Filter => ({ type: 'present', attribute });
const ALL = present('objectClass');

/** A small grid: o=grid / Mds-Vo-name=local / N hosts, each with a queue child. */
function grid(hosts: number): Directory {
  const directory = new Directory({ indexedAttributes: ['objectClass', 'Mds-Host-hn'] });
  directory.put(makeEntry('o=grid', { objectClass: 'organization', o: 'grid' }));
  directory.put(makeEntry('Mds-Vo-name=local,o=grid', { objectClass: ['Mds', 'MdsVo'] }));
  for (let i = 0; i < hosts; i += 1) {
    const name = `Host-${String(i).padStart(3, '0')}`;
    const dn = `Mds-Host-hn=${name},Mds-Vo-name=local,o=grid`;
    directory.replaceOwned(name, [
      makeEntry(dn, { objectClass: ['Mds', 'MdsHost'], 'Mds-Cpu-Total-count': i, 'Mds-Os-name': i % 2 ? 'Linux  Debian' : 'FreeBSD', 'Mds-Software-tag': ['blast', `t${i}`] }, name),
      makeEntry(`Mds-Job-Queue-name=default,${dn}`, { objectClass: ['Mds', 'MdsJobQueue'] }, name),
    ]);
  }
  return directory;
}

function search(directory: Directory, base: string, scope: SearchQuery['scope'], filter: Filter, sizeLimit = 0) {
  return directory.search({ baseNdn: normalizeDn(base), scope, filter, sizeLimit, deadline: Infinity });
}
const dns = (result: { entries: readonly { dn: string }[] }) => result.entries.map((e) => e.dn);

describe('the directory', () => {
  it('answers base, one-level and subtree scopes', () => {
    const d = grid(3);
    assert.deepEqual(dns(search(d, 'MDS-HOST-HN=host-001, mds-vo-name=LOCAL, o=grid', 'base', ALL)), ['Mds-Host-hn=Host-001,Mds-Vo-name=local,o=grid']);
    assert.equal(search(d, 'Mds-Vo-name=local,o=grid', 'one', ALL).entries.length, 3);
    assert.equal(search(d, 'Mds-Vo-name=local,o=grid', 'sub', ALL).entries.length, 7);
    assert.equal(search(d, 'o=grid', 'sub', ALL).entries.length, 8);
    assert.deepEqual(dns(search(d, '', 'one', ALL)), ['o=grid']);
    // A subtree walk lists parents before their children.
    const order = dns(search(d, 'o=grid', 'sub', ALL));
    assert.ok(order.indexOf('Mds-Vo-name=local,o=grid') < order.indexOf('Mds-Host-hn=Host-000,Mds-Vo-name=local,o=grid'));
  });

  it('says noSuchObject with the deepest existing ancestor for a missing base', () => {
    const result = search(grid(1), 'cn=x,Mds-Host-hn=nowhere,Mds-Vo-name=local,o=grid', 'sub', ALL);
    assert.equal(result.status, 'noSuchObject');
    assert.equal(result.matchedDn, 'Mds-Vo-name=local,o=grid');
  });

  it('matches attribute names and values without regard to case', () => {
    const d = grid(4);
    assert.equal(search(d, 'o=grid', 'sub', eq('objectclass', 'mdshost')).entries.length, 4);
    assert.equal(search(d, 'o=grid', 'sub', eq('OBJECTCLASS', 'MDSJOBQUEUE')).entries.length, 4);
    assert.equal(search(d, 'o=grid', 'sub', eq('mds-os-name', 'linux debian')).entries.length, 2);
    assert.equal(search(d, 'o=grid', 'sub', eq('mds-host-hn', 'HOST-002')).entries.length, 1);
  });

  it('evaluates every filter type', () => {
    const d = grid(10);
    const count = (filter: Filter) => search(d, 'o=grid', 'sub', filter).entries.length;
    assert.equal(count(present('Mds-Cpu-Total-count')), 10);
    assert.equal(count({ type: 'greaterOrEqual', attribute: 'Mds-Cpu-Total-count', value: '7' }), 3);
    assert.equal(count({ type: 'lessOrEqual', attribute: 'mds-cpu-total-count', value: '2' }), 3); // numeric, not text order
    assert.equal(count({ type: 'approx', attribute: 'Mds-Os-name', value: 'linuxdebian' }), 5);
    assert.equal(count({ type: 'substring', attribute: 'Mds-Host-hn', initial: 'host-00', any: [], final: undefined }), 10);
    assert.equal(count({ type: 'substring', attribute: 'Mds-Host-hn', any: ['ST-0'], final: '7' }), 1);
    assert.equal(count({ type: 'substring', attribute: 'Mds-Os-name', any: ['ux d'] }), 5);
    assert.equal(count({ type: 'and', filters: [eq('objectClass', 'MdsHost'), { type: 'not', filter: eq('Mds-Os-name', 'freebsd') }] }), 5);
    assert.equal(count({ type: 'or', filters: [eq('Mds-Host-hn', 'host-001'), eq('Mds-Host-hn', 'host-003'), eq('Mds-Host-hn', 'nope')] }), 2);
    assert.equal(count({ type: 'not', filter: present('Mds-Cpu-Total-count') }), 12);
    assert.equal(count({ type: 'extensible', attribute: 'Mds-Software-tag', value: 'BLAST', dnAttributes: false }), 10);
    assert.equal(count({ type: 'extensible', attribute: 'Mds-Software-tag', rule: 'caseExactMatch', value: 'BLAST', dnAttributes: false }), 0);
    assert.equal(count({ type: 'extensible', attribute: 'mds-host-hn', rule: '2.5.13.2', value: 'host-004', dnAttributes: true }), 2); // the host and, by its DN, its queue
    assert.equal(count({ type: 'extensible', rule: 'noSuchRule', value: 'x', dnAttributes: false }), 0);
    // Absent attributes make an item false, never an error.
    assert.equal(count({ type: 'greaterOrEqual', attribute: 'noSuchAttribute', value: '1' }), 0);
  });

  it('narrows subtree searches with its indexes instead of reading every entry', () => {
    const d = grid(500);
    const indexed = search(d, 'o=grid', 'sub', eq('Mds-Host-hn', 'host-250'));
    assert.equal(indexed.entries.length, 1);
    assert.equal(indexed.examined, 1);
    const anded = search(d, 'o=grid', 'sub', { type: 'and', filters: [eq('objectClass', 'MdsHost'), eq('Mds-Host-hn', 'HOST-250')] });
    assert.equal(anded.examined, 1);
    const substring = search(d, 'o=grid', 'sub', { type: 'substring', attribute: 'Mds-Host-hn', initial: 'host-25', any: [] });
    assert.equal(substring.entries.length, 10);
    assert.equal(substring.examined, 10);
    const unindexed = search(d, 'o=grid', 'sub', eq('Mds-Os-name', 'freebsd'));
    assert.equal(unindexed.entries.length, 250);
    assert.equal(unindexed.examined, 1002); // a walk: every entry below o=grid
    const one = search(d, 'Mds-Vo-name=local,o=grid', 'one', eq('Mds-Host-hn', 'host-007'));
    assert.equal(one.examined, 1);
  });

  it('stops at the size limit and says so', () => {
    const d = grid(20);
    const limited = search(d, 'o=grid', 'sub', eq('objectClass', 'MdsHost'), 5);
    assert.equal(limited.entries.length, 5);
    assert.equal(limited.sizeLimitExceeded, true);
    const exact = search(d, 'o=grid', 'sub', eq('objectClass', 'MdsHost'), 20);
    assert.equal(exact.entries.length, 20);
    assert.equal(exact.sizeLimitExceeded, false);
  });

  it('stops at the time limit', () => {
    const d = grid(300);
    const result = d.search({ baseNdn: 'o=grid', scope: 'sub', filter: eq('Mds-Os-name', 'x'), sizeLimit: 0, deadline: performance.now() - 1 });
    assert.equal(result.timeLimitExceeded, true);
  });

  it('replaces and drops one owner’s entries as a whole', () => {
    const d = grid(2);
    const before = d.size;
    d.replaceOwned('Host-000', [makeEntry('Mds-Host-hn=Host-000,Mds-Vo-name=local,o=grid', { objectClass: 'MdsHost', 'Mds-Cpu-Total-count': 99 }, 'Host-000')]);
    assert.equal(d.size, before - 1); // its queue entry is gone
    assert.equal(search(d, 'o=grid', 'sub', eq('Mds-Cpu-Total-count', '99')).entries.length, 1);
    assert.equal(search(d, 'o=grid', 'sub', eq('Mds-Cpu-Total-count', '0')).entries.length, 0); // index updated
    d.removeOwned('Host-000');
    assert.equal(search(d, 'o=grid', 'sub', eq('Mds-Host-hn', 'host-000')).entries.length, 0);
    assert.deepEqual(d.owners().sort(), ['', 'Host-001']);
  });

  it('adds the RDN value to an entry that lacks it', () => {
    const entry = makeEntry('cn=Thing,o=x', { objectClass: 'device' });
    assert.equal(matchesFilter(entry, eq('cn', 'thing')), true);
  });
});
