/** Selection beyond the job's requirements: VO, RSL limits, site policy, economics, analyze. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeJob, estimate, matchSites, type MatchJob, type MatchSite } from '../../../../services/broker/index.ts';
import type { JobSpec } from '../../../../services/common/job.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const OWNER = '/O=Grid/OU=Weft/CN=Dev User';

const site = (name: string, totalSlots: number, extra: Partial<MatchSite> = {}): MatchSite => ({
  name,
  contact: `${name}.example.org:8443`,
  lrms: 'fork',
  totalSlots,
  reservedSlots: 0,
  updatedAt: new Date(NOW - 3_000).toISOString(),
  ttlSeconds: 15,
  ...extra,
});

const job = (spec: Partial<JobSpec> = {}, owner = OWNER): MatchJob => ({
  owner,
  spec: { executable: '/bin/echo', arguments: [], environment: {}, count: 1, ...spec },
});

const names = (sites: readonly { name: string }[]) => sites.map((s) => s.name);

describe('authorization filtering by VO', () => {
  const sites = [site('open', 4), site('atlas', 4, { vos: ['atlas'] }), site('both', 4, { vos: ['atlas', 'cms'] }), site('empty', 4, { vos: [] })];

  it('sends a job with a VO to sites that list it or list none', () => {
    assert.deepEqual(names(matchSites(job({ project: 'cms' }), sites, { now: NOW }).ranked).sort(), ['both', 'empty', 'open']);
  });

  it('sends a job without a VO only to sites without a VO list', () => {
    assert.deepEqual(names(matchSites(job(), sites, { now: NOW }).ranked).sort(), ['empty', 'open']);
  });

  it('says how many sites the VO lists turned down', () => {
    const choice = matchSites(job({ project: 'lhcb' }), [site('atlas', 4, { vos: ['atlas'] })], { now: NOW });
    assert.deepEqual(choice.ranked, []);
    assert.equal(choice.reason, "the site's VO list rejected 1 of 1 site");
  });
});

describe('plain RSL limits', () => {
  it('keeps maxWallTime within the site MaxWallTime and maxMemory within MemoryMB', () => {
    const sites = [site('short', 4, { maxWallTimeMinutes: 30, memoryMB: 8000 }), site('small', 4, { memoryMB: 512 }), site('any', 2)];
    assert.deepEqual(names(matchSites(job({ maxWallTime: 60, maxMemory: 1024 }), sites, { now: NOW }).ranked), ['any']);
    assert.deepEqual(names(matchSites(job({ maxWallTime: 30, maxMemory: 512 }), sites, { now: NOW }).ranked), ['short', 'small', 'any']);
    const none = matchSites(job({ maxWallTime: 60, maxMemory: 1024 }), sites.slice(0, 2), { now: NOW });
    assert.equal(none.reason, "maxWallTime ≤ the site's MaxWallTime rejected 1 of 2 sites, maxMemory ≤ the site's MemoryMB rejected 1");
  });

  it('still says when the job is larger than any site', () => {
    assert.equal(matchSites(job({ count: 8 }), [site('a', 4)], { now: NOW }).reason, 'the job asks for 8 slots but the largest of 1 sites has 4');
  });
});

describe('site policies (symmetric matchmaking)', () => {
  it('evaluates the policy with the site as my and the job as other', () => {
    const sites = [
      site('picky', 4, { policy: `other.Owner != "${OWNER}" && my.FreeCpus >= other.Count` }),
      site('small-jobs', 4, { policy: 'Count <= 2' }),
      site('open', 1),
    ];
    assert.deepEqual(names(matchSites(job({ count: 1 }), sites, { now: NOW }).ranked), ['small-jobs', 'open']);
    assert.deepEqual(names(matchSites(job({ count: 2 }, '/CN=Other'), sites, { now: NOW }).ranked), ['picky', 'small-jobs']);
    assert.equal(matchSites(job({ count: 3 }), sites.slice(0, 2), { now: NOW }).reason, "the site's policy rejected 2 of 2 sites");
  });

  it('knows the hour and day at the site, in UTC', () => {
    const nights = site('nights', 4, { policy: 'HourOfDay >= 20 || HourOfDay < 6 || DayOfWeek == 0 || DayOfWeek == 6' });
    // 2026-01-01 is a Thursday.
    assert.deepEqual(names(matchSites(job(), [nights], { now: NOW }).ranked), []);
    assert.deepEqual(names(matchSites(job(), [nights], { now: Date.parse('2026-01-01T22:00:00Z') }).ranked), ['nights']);
    assert.deepEqual(names(matchSites(job(), [nights], { now: Date.parse('2026-01-03T12:00:00Z') }).ranked), ['nights']);
  });

  it('leaves out a site whose policy does not parse, and says so, without failing the job', () => {
    const told: string[] = [];
    const choice = matchSites(job(), [site('broken', 4, { policy: 'other.Count <=' }), site('fine', 2)], {
      now: NOW,
      onInvalidPolicy: (name, message) => told.push(`${name}: ${message}`),
    });
    assert.deepEqual(names(choice.ranked), ['fine']);
    assert.equal(told.length, 1);
    assert.match(told[0]!, /^broken: the site policy has a syntax error at column/);
    const alone = matchSites(job(), [site('broken', 4, { policy: 'other.Count <=' })], { now: NOW });
    assert.equal(alone.reason, 'a site policy that does not parse rejected 1 of 1 site');
  });
});

describe('economic brokering', () => {
  const cheapSlow = site('cheap', 4, { pricePerCpuHour: 1, waitingJobs: 8 }); // two waves queued
  const dearFast = site('dear', 4, { pricePerCpuHour: 3 });
  const both = [cheapSlow, dearFast];

  it('estimates cost as price × count × hours and completion after the queue', () => {
    assert.deepEqual(estimate({ count: 2, maxWallTime: 30 }, cheapSlow, NOW), { cost: 1, completion: NOW + 3 * 30 * 60_000 });
    assert.deepEqual(estimate({ count: 1 }, dearFast, NOW), { cost: 3, completion: NOW + 60 * 60_000 });
  });

  it('picks the cheapest site for cost and the fastest for time', () => {
    const cost = matchSites(job({ maxWallTime: 60, optimise: 'cost' }), both, { now: NOW });
    assert.deepEqual(names(cost.ranked), ['cheap', 'dear']);
    assert.deepEqual(cost.estimates?.map((e) => e.cost), [1, 3]);
    assert.deepEqual(names(matchSites(job({ maxWallTime: 60, optimise: 'time' }), both, { now: NOW }).ranked), ['dear', 'cheap']);
  });

  it('leaves out sites that would miss the deadline or overrun the budget', () => {
    const deadline = new Date(NOW + 90 * 60_000).toISOString();
    assert.deepEqual(names(matchSites(job({ maxWallTime: 60, optimise: 'cost', deadline }), both, { now: NOW }).ranked), ['dear']);
    assert.deepEqual(names(matchSites(job({ maxWallTime: 60, optimise: 'time', budget: 2 }), both, { now: NOW }).ranked), ['cheap']);
  });

  it('keeps the job waiting with the economic reason', () => {
    const deadline = new Date(NOW + 90 * 60_000).toISOString();
    const poor = matchSites(job({ count: 4, maxWallTime: 60, budget: 10, deadline, optimise: 'cost' }), both, { now: NOW });
    assert.deepEqual(poor.ranked, []);
    assert.equal(poor.reason, 'the cheapest site meeting the deadline costs 12 > budget 10');
    const late = matchSites(job({ maxWallTime: 120, deadline }), both, { now: NOW });
    assert.equal(late.reason, `the earliest of 2 sites would finish at ${new Date(NOW + 120 * 60_000).toISOString()}, after the deadline ${deadline}`);
  });

  it('breaks ties by rank, then free slots', () => {
    const a = site('a', 4, { pricePerCpuHour: 1 });
    const b = site('b', 8, { pricePerCpuHour: 1 });
    assert.deepEqual(names(matchSites(job({ optimise: 'cost' }), [a, b], { now: NOW }).ranked), ['b', 'a']);
    const ranked = matchSites(job({ optimise: 'cost', rank: '-other.TotalCpus' }), [a, b], { now: NOW });
    assert.deepEqual(names(ranked.ranked), ['a', 'b']);
    assert.deepEqual(ranked.ranking, [-4, -8]);
  });
});

describe('analyzeJob', () => {
  it('counts every check at every site, lists what remains with rank, cost and age', () => {
    const sites = [
      site('alpha', 4, { vos: ['cms'], pricePerCpuHour: 1 }),
      site('beta', 2, { pricePerCpuHour: 2, opSys: 'linux' }),
      site('gamma', 8, { policy: 'other.Count <= 1', opSys: 'linux', reservedSlots: 0, pricePerCpuHour: 0.5 }),
      site('delta', 1, { opSys: 'windows', updatedAt: new Date(NOW - 10_000).toISOString() }),
    ];
    const analysis = analyzeJob(
      job({ count: 2, maxWallTime: 30, project: 'atlas', requirements: 'other.OpSys == "linux" && other.TotalCpus >= 2', rank: 'other.TotalCpus' }),
      sites,
      { now: NOW },
    );
    assert.equal(analysis.sitesConsidered, 4);
    assert.deepEqual(
      analysis.checks.map((c) => [c.check, c.rejected, c.sites]),
      [
        ["the site's VO list", 1, ['alpha']],
        ["count ≤ the site's slots", 1, ['delta']],
        ["the site's policy", 1, ['gamma']],
        ['requirement 1 (other.OpSys == "linux")', 2, ['alpha', 'delta']],
        ['requirement 2 (other.TotalCpus >= 2)', 1, ['delta']],
      ],
    );
    assert.deepEqual(names(analysis.remaining), ['beta']);
    const beta = analysis.remaining[0]!;
    assert.equal(beta.rank, 2);
    assert.equal(beta.estimatedCost, 2);
    assert.equal(beta.ageSeconds, 3);
    assert.equal(analysis.sites.find((s) => s.name === 'delta')?.ageSeconds, 10);
    assert.deepEqual(analysis.sites.find((s) => s.name === 'alpha')?.rejectedBy, [
      "the site's VO list: it admits cms, not atlas",
      'requirement 1 (other.OpSys == "linux"): it was undefined',
    ]);
    assert.equal(analysis.summary, '4 sites considered, 1 remains (beta)');
  });

  it('reports budget and deadline only where everything else passed', () => {
    const sites = [site('cheap', 4, { pricePerCpuHour: 1 }), site('dear', 4, { pricePerCpuHour: 5 }), site('full', 1, { reservedSlots: 1 })];
    const analysis = analyzeJob(job({ maxWallTime: 60, budget: 2, optimise: 'cost' }), sites, { now: NOW });
    assert.deepEqual(analysis.checks.map((c) => [c.check, c.sites]), [
      ['free slots now ≥ count', ['full']],
      ['estimated cost ≤ budget', ['dear']],
    ]);
    assert.deepEqual(names(analysis.remaining), ['cheap']);
  });

  it('counts a quarantined site as rejected by its quarantine', () => {
    const sites = [site('sick', 4, { quarantinedUntil: new Date(NOW + 60_000).toISOString() }), site('well', 4)];
    const analysis = analyzeJob(job(), sites, { now: NOW });
    assert.deepEqual(analysis.checks.map((c) => [c.check, c.sites]), [['the site is not quarantined', ['sick']]]);
    assert.deepEqual(names(analysis.remaining), ['well']);
  });

  it('says so when no site is alive', () => {
    assert.equal(analyzeJob(job(), [], { now: NOW }).summary, '0 sites considered, 0 remain');
  });

  it("does not count a placed job's own reservation against its site", () => {
    const placed = [site('home', 2, { reservedSlots: 2 }), site('other', 2, { reservedSlots: 2 })];
    const analysis = analyzeJob(job({ count: 2 }), placed, { now: NOW, holdsSlotsAt: 'home' });
    assert.deepEqual(names(analysis.remaining), ['home']);
    assert.deepEqual(analysis.checks.map((c) => [c.check, c.sites]), [['free slots now ≥ count', ['other']]]);
  });
});
