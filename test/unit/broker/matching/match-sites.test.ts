import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  evaluate,
  jobAd,
  matchSites,
  parseExpression,
  siteAd,
  toPlain,
  type MatchJob,
  type MatchSite,
} from '../../../../services/broker/index.ts';
import { isGridError } from '../../../../services/common/errors.ts';
import type { JobSpec } from '../../../../services/common/job.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');

const site = (name: string, totalSlots: number, reservedSlots = 0, extra: Partial<MatchSite> = {}): MatchSite => ({
  name,
  contact: `${name}.example.org:8443`,
  lrms: 'fork',
  totalSlots,
  reservedSlots,
  updatedAt: new Date(NOW - 5_500).toISOString(),
  ttlSeconds: 15,
  ...extra,
});

const job = (spec: Partial<JobSpec> = {}): MatchJob => ({
  owner: '/O=Grid/OU=Weft/CN=Dev User',
  spec: { executable: '/bin/echo', arguments: [], environment: {}, count: 1, ...spec },
});

const names = (sites: readonly { name: string }[]) => sites.map((s) => s.name);

describe('the site and job as matchmaking sees them', () => {
  it('shows a site under the names DESIGN.md gives, computing FreeCpus and Age', () => {
    const other = siteAd(
      site('alpha', 4, 1, { opSys: 'linux', tags: ['blast'], pricePerCpuHour: 2, maxWallTimeMinutes: 60, vos: ['atlas'] }),
      NOW,
    );
    const read = (attribute: string) => toPlain(evaluate(parseExpression(`other.${attribute}`), { my: jobAd(job()), other }));
    assert.equal(read('Name'), 'alpha');
    assert.equal(read('Contact'), 'alpha.example.org:8443');
    assert.equal(read('LrmsType'), 'fork');
    assert.equal(read('TotalCpus'), 4);
    assert.equal(read('FreeCpus'), 3);
    assert.equal(read('Age'), 5);
    assert.equal(read('OpSys'), 'linux');
    assert.deepEqual(read('Tags'), ['blast']);
    assert.deepEqual(read('VOs'), ['atlas']);
    assert.equal(read('MaxWallTime'), 60);
    assert.equal(evaluate(parseExpression('other.Price'), { my: jobAd(job()), other }).type, 'real', 'prices are reals even when whole');
    assert.equal(read('MemoryMB'), null, 'what a site does not publish is UNDEFINED');
    assert.equal(read('RunningJobs'), null);
  });

  it('shows the job as my: Owner, VO, Count, MaxWallTime, MaxMemory, Executable, Queue', () => {
    const my = jobAd(job({ count: 4, project: 'atlas', maxWallTime: 30, maxMemory: 512, queue: 'short' }));
    const read = (attribute: string) => toPlain(evaluate(parseExpression(`my.${attribute}`), { my, other: siteAd(site('a', 1), NOW) }));
    assert.deepEqual(
      ['Owner', 'VO', 'Count', 'MaxWallTime', 'MaxMemory', 'Executable', 'Queue'].map(read),
      ['/O=Grid/OU=Weft/CN=Dev User', 'atlas', 4, 30, 512, '/bin/echo', 'short'],
    );
    assert.equal(toPlain(evaluate(parseExpression('my.VO'), { my: jobAd(job()), other: siteAd(site('a', 1), NOW) })), null);
  });
});

describe('matching sites to a job', () => {
  const sites = [site('alpha', 4), site('beta', 2), site('gamma', 8, 6)];

  it('keeps the old order without expressions: most free slots, then name', () => {
    assert.deepEqual(names(matchSites(job(), sites, { now: NOW }).ranked), ['alpha', 'beta', 'gamma']);
  });

  it('keeps only the sites the requirements accept', () => {
    const choice = matchSites(job({ requirements: 'other.Name == "beta" || other.TotalCpus > 6' }), sites, { now: NOW });
    assert.deepEqual(names(choice.ranked), ['beta', 'gamma']);
    assert.deepEqual(choice.accepted, { count: 2, of: 3 });
  });

  it('rejects sites where the requirements are UNDEFINED', () => {
    const choice = matchSites(job({ requirements: 'other.MemoryMB >= 1024' }), [...sites, site('delta', 2, 0, { memoryMB: 2048 })], { now: NOW });
    assert.deepEqual(names(choice.ranked), ['delta']);
  });

  it('orders by rank, highest first, then by free slots, then by name', () => {
    assert.deepEqual(names(matchSites(job({ rank: 'other.TotalCpus' }), sites, { now: NOW }).ranked), ['gamma', 'alpha', 'beta']);
    assert.deepEqual(names(matchSites(job({ rank: '-other.TotalCpus' }), sites, { now: NOW }).ranked), ['beta', 'alpha', 'gamma']);
    const tied = matchSites(job({ rank: 'other.Name != "alpha"' }), [site('delta', 2), ...sites], { now: NOW });
    assert.deepEqual(names(tied.ranked), ['beta', 'delta', 'gamma', 'alpha'], 'rank 1 ties broken by free slots, then name');
    assert.deepEqual(tied.ranking, [1, 1, 1, 0]);
    assert.deepEqual(
      names(matchSites(job({ rank: 'other.Nothing' }), sites, { now: NOW }).ranked),
      ['alpha', 'beta', 'gamma'],
      'a rank that is UNDEFINED everywhere ranks all sites 0',
    );
  });

  it('still applies count after the requirements, with the old reasons', () => {
    assert.match(matchSites(job({ count: 5, requirements: 'other.TotalCpus < 8' }), sites, { now: NOW }).reason ?? '', /asks for 5 slots but the largest of 2 sites has 4/);
    assert.match(matchSites(job({ count: 3, requirements: 'other.Name == "gamma"' }), sites, { now: NOW }).reason ?? '', /all 1 sites that could take 3 slots are full/);
    assert.match(matchSites(job(), [], { now: NOW }).reason ?? '', /no site is registered/);
  });

  it('says which requirement rejected how many sites when none is left', () => {
    const waiting = (requirements: string, among = sites) => matchSites(job({ requirements }), among, { now: NOW }).reason;
    assert.equal(waiting('other.LrmsType == "fork" && other.FreeCpus >= 8'), 'requirement 2 (other.FreeCpus >= 8) rejected 3 of 3 sites');
    assert.equal(
      waiting('other.TotalCpus >= 4 && other.FreeCpus >= 4 && other.Name == "zeta"'),
      'requirement 1 (other.TotalCpus >= 4) rejected 1 of 3 sites, requirement 2 (other.FreeCpus >= 4) rejected 1, requirement 3 (other.Name == "zeta") rejected 1',
    );
    assert.equal(waiting('other.FreeCPU >= 2'), 'requirement 1 (other.FreeCPU >= 2) rejected 3 of 3 sites (it was undefined at 3)');
    assert.equal(waiting('member("blast", other.Tags)', [site('alpha', 4)]), 'requirement 1 (member("blast", other.Tags)) rejected 1 of 1 site (it was undefined at 1)');
    assert.match(waiting(`other.Name == "${'x'.repeat(300)}"`) ?? '', /^requirement 1 \(other\.Name == "x{100,}…\) rejected 3 of 3 sites$/);
  });

  it('measures Age at the time it is given, so stale sites can be refused', () => {
    const fresh = site('fresh', 2);
    const stale = site('stale', 2, 0, { updatedAt: new Date(NOW - 60_000).toISOString() });
    assert.deepEqual(names(matchSites(job({ requirements: 'other.Age < 30' }), [fresh, stale], { now: NOW }).ranked), ['fresh']);
  });

  it('throws the parser error for expressions that do not parse', () => {
    assert.throws(() => matchSites(job({ rank: 'other.TotalCpus +' }), sites), (error: unknown) =>
      isGridError(error, 'BROKER_EXPRESSION_SYNTAX') && /^the rank expression has a syntax error at column 18/.test(error.message));
  });
});
