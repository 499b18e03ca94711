/**
 * Broker matchmaking decisions per second, in process: one job with a requirements expression
 * (four clauses: OS, free slots against my.Count, a software tag, freshness) and a rank
 * expression, matched against N synthetic sites and the best one picked — exactly what the
 * broker does per placement (matchSites: site attributes computed from the registry records,
 * requirements evaluated at every site, rank at those that pass, then ordered). The job's
 * expressions are parsed once; the parse rate is reported on its own. Beside each figure, the
 * same decision without expressions (free slots and name only, the spine's broker) shows what
 * the expressions cost.
 *
 * N = 10, 1,000 and 10,000 sites; each measurement runs at most 3 s (and at most 200,000
 * decisions). Issue 5's goal: ≥ 2,000 decisions/s at 1,000 sites on 2 cores.
 *
 * Run: node --import tsx bench/matchmaking.ts
 */
import { matchSites, parseExpression, type MatchJob, type MatchSite } from '../services/broker/index.ts';

const TIME_LIMIT_MS = 3_000;
const MAX_ITERATIONS = 200_000;

const REQUIREMENTS =
  'other.OpSys == "linux" && other.FreeCpus >= my.Count && member("blast", other.Tags) && other.Age < 60';
const RANK = 'other.FreeCpus - 2 * other.Price';

const NOW = Date.now();

/** Deterministic synthetic sites: most are linux with blast, slots and prices vary. */
function syntheticSites(n: number): MatchSite[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `site-${String(i).padStart(5, '0')}`,
    contact: `site-${i}.example.org:8443`,
    lrms: i % 3 === 0 ? 'slurm' : 'fork',
    totalSlots: 8 + (i % 64),
    reservedSlots: (i * 7) % 8,
    updatedAt: new Date(NOW - ((i * 13) % 90) * 1000).toISOString(),
    ttlSeconds: 90,
    opSys: i % 10 === 0 ? 'aix' : 'linux',
    arch: 'x86_64',
    tags: i % 4 === 0 ? ['python3'] : ['blast', 'python3', `tag-${i % 17}`],
    pricePerCpuHour: (i % 23) / 10,
    memoryMB: 2048,
  }));
}

function job(withExpressions: boolean): MatchJob {
  return {
    owner: '/O=Grid/OU=Weft/CN=Bench User',
    spec: {
      executable: '/bin/true',
      arguments: [],
      environment: {},
      count: 2,
      ...(withExpressions ? { requirements: REQUIREMENTS, rank: RANK } : {}),
    },
  };
}

/** Calls `decide` until the time or iteration limit; returns decisions per second. */
function rate(decide: () => unknown): number {
  for (let i = 0; i < 20; i++) decide(); // warm up the JIT
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while (count < MAX_ITERATIONS && elapsed < TIME_LIMIT_MS) {
    decide();
    count++;
    if ((count & 7) === 0 || count < 8) elapsed = performance.now() - started;
  }
  elapsed = performance.now() - started;
  return (count / elapsed) * 1000;
}

function print(name: string, value: number, unit: string) {
  console.log(`${name} ${value >= 100 ? Math.round(value) : value.toFixed(1)} ${unit}`);
}

print('expression_parse_per_s', rate(() => {
  parseExpression(REQUIREMENTS);
  parseExpression(RANK);
}), 'parses/s');

for (const n of [10, 1_000, 10_000]) {
  const sites = syntheticSites(n);
  const withExpressions = job(true);
  const plain = job(false);
  let best: string | undefined;
  const decisions = rate(() => {
    best = matchSites(withExpressions, sites, { now: NOW }).ranked[0]?.name;
  });
  if (best === undefined) throw new Error(`no site matched among ${n}: the bench job is wrong`);
  print(`match_decisions_per_s_sites_${n}`, decisions, 'decisions/s');
  const baseline = rate(() => matchSites(plain, sites, { now: NOW }).ranked[0]);
  print(`match_decisions_per_s_sites_${n}_no_expressions`, baseline, 'decisions/s');
}
