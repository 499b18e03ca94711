/** What `weft site list` prints and the ldapsearch command `weft grid-info-search` runs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ldapsearchArgs } from '../../../services/cli/commands/grid-info-search.ts';
import { siteTable } from '../../../services/cli/commands/site.ts';

describe('weft site list', () => {
  it('prints name, LRMS, CPUs total/free, age, TTL left and status in aligned columns', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    const table = siteTable(
      [
        { name: 'alpha', contact: 'a', lrms: 'fork', totalCpus: 2, freeCpus: 1, runningJobs: 1, waitingJobs: 0, updatedAt: '2026-11-23T11:59:58Z', ttlSeconds: 3, expiresInSeconds: 1 },
        { name: 'gamma', contact: 'g', lrms: 'slurm', totalCpus: 64, freeCpus: 64, runningJobs: 0, waitingJobs: 0, updatedAt: '2026-11-23T11:55:00Z', ttlSeconds: 600, expiresInSeconds: 300, quarantinedUntil: '2026-11-23T12:05:00.000Z' },
      ],
      now,
    );
    assert.equal(
      table,
      ['NAME   LRMS   CPUS(TOTAL/FREE)  AGE    TTL-LEFT  STATUS', 'alpha  fork   2/1               2s     1s        ok', 'gamma  slurm  64/64             5m00s  5m00s     quarantined until 12:05:00'].join('\n'),
    );
  });
});

describe('weft grid-info-search', () => {
  it('runs ldapsearch anonymously against the GT2 defaults', () => {
    assert.deepEqual(ldapsearchArgs([], {}), ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', 'ldap://localhost:2135', '-b', 'Mds-Vo-name=local,o=grid', '-s', 'sub', '--', '(objectclass=*)']);
  });
  it('takes -h -p -b -s, limits, a filter and attributes; refuses bad values', () => {
    assert.deepEqual(ldapsearchArgs(['-x', '-h', 'giis.example.org', '-p', '2170', '-b', 'o=glue', '-s', 'one', '-l', '5', '(a=1)', 'cn'], {}).slice(5), [
      'ldap://giis.example.org:2170', '-b', 'o=glue', '-s', 'one', '-z', '5', '--', '(a=1)', 'cn',
    ]);
    assert.throws(() => ldapsearchArgs(['-p', 'http'], {}), { code: 'CLI_USAGE' });
    assert.throws(() => ldapsearchArgs(['-s', 'everything'], {}), { code: 'CLI_USAGE' });
    assert.throws(() => ldapsearchArgs(['-h', 'a;rm -rf /'], {}), { code: 'CLI_USAGE' });
  });
});
