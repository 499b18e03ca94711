/**
 * LDAP searches per second and median latency of Weft's index beside its anchor, OpenLDAP slapd,
 * holding the same entries: 1,000 sites (about 11 entries each: two Mds-* entries, eight GLUE 2.0
 * entries and one ApplicationEnvironment).
 *
 * Load phase: the sites are published into a private redis-server through the real site registry
 * and the index loads them through its real Redis sync (the time is printed); slapd gets the very
 * entries the index then holds, as LDIF through slapadd (see bench/ldap/slapd.ts).
 *
 * Load generator: bench/ldap-load.c, compiled here against libldap (OpenLDAP's client library,
 * as ldapsearch uses): 16 threads, each with its own connection and one search in flight, for
 * ROW_SECONDS per row and server. Each request picks another site, so no row reads one entry
 * over and over; every search asks for all attributes, as a person's ldapsearch does. Rows:
 *   base        -s base on one site's GLUE2ComputingShare entry
 *   one-level   -s one under one site's GLUE2ComputingService (4 children)
 *   sub-eq      -s sub from o=glue, (GLUE2ShareID=site-NNNN-default)            (1 entry)
 *   sub-substr  -s sub from o=glue, (GLUE2ShareID=site-NNNN*)                   (1 entry)
 *
 * Run: node --import tsx bench/ldap-search.ts     (about 45 seconds; needs cc, libldap2-dev,
 * ldap-utils, and for the anchor slapd and glue-schema: apt-get install slapd glue-schema)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../services/common/config.ts';
import { silentLogger } from '../services/common/logger.ts';
import { createRedisSiteRegistry } from '../services/common/site-registry.ts';
import { createIndexService, MDS_KNOBS } from '../services/mds/index.ts';
import { freePort } from '../test/support/free-port.ts';
import { startRedis } from '../test/support/redis-server.ts';
import { slapdMissing, startSlapd, type Slapd } from './ldap/slapd.ts';

const SITES = 1000;
const CONCURRENCY = 16;
const ROW_SECONDS = 4;
const ROOT = resolve(import.meta.dirname, '..');

interface Row {
  readonly name: string;
  readonly scope: 'base' | 'one' | 'sub';
  readonly base: string;
  readonly filter: string;
}

const GLUE_SITE = 'GLUE2DomainID=site-%1$04d,GLUE2GroupID=grid,o=glue';
const ROWS: readonly Row[] = [
  { name: 'base', scope: 'base', base: `GLUE2ShareID=site-%1$04d-default,GLUE2ServiceID=site-%1$04d-cs,${GLUE_SITE}`, filter: '(objectClass=*)' },
  { name: 'one_level', scope: 'one', base: `GLUE2ServiceID=site-%1$04d-cs,${GLUE_SITE}`, filter: '(objectClass=*)' },
  { name: 'subtree_equality', scope: 'sub', base: 'o=glue', filter: '(GLUE2ShareID=site-%1$04d-default)' },
  { name: 'subtree_substring', scope: 'sub', base: 'o=glue', filter: '(GLUE2ShareID=site-%1$04d*)' },
];

interface Measure {
  readonly rate: number;
  readonly medianUs: number;
  readonly entriesPerRequest: number;
  readonly errors: number;
}

function compileLoadGenerator(dir: string): string {
  const binary = join(dir, 'ldap-load');
  const result = spawnSync('cc', ['-O2', '-o', binary, join(ROOT, 'bench', 'ldap-load.c'), '-lldap', '-llber', '-lpthread'], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`cannot compile bench/ldap-load.c (apt-get install gcc libldap2-dev): ${result.stderr}`);
  }
  return binary;
}

/** Runs the load generator without blocking this process (the index answers from it). */
function load(binary: string, port: number, row: Row): Promise<Measure> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, [`ldap://127.0.0.1:${port}`, String(ROW_SECONDS), String(CONCURRENCY), row.scope, row.base, row.filter], {
      env: { ...process.env, LDAP_LOAD_SITES: String(SITES) },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), (ROW_SECONDS + 10) * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const fields = Object.fromEntries([...out.matchAll(/(\w+) ([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
      if (code !== 0 || fields.rate === undefined) {
        reject(new Error(`ldap-load failed (${code}): ${err || out}`));
        return;
      }
      resolvePromise({
        rate: fields.rate,
        medianUs: fields.median_us ?? 0,
        entriesPerRequest: fields.requests ? (fields.entries ?? 0) / fields.requests : 0,
        errors: fields.errors ?? 0,
      });
    });
  });
}

function print(name: string, value: number, unit: string, digits = 0) {
  console.log(`${name} ${value.toFixed(digits)} ${unit}`);
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'weft-bench-ldap-'));
  const redis = await startRedis();
  let slapd: Slapd | undefined;
  const index = createIndexService(
    { redis: redis.client, logger: silentLogger() },
    loadConfig(MDS_KNOBS, {}, { port: 0, sizeLimit: 0 }),
  );
  try {
    const binary = compileLoadGenerator(work);
    await redis.client.config('SET', 'notify-keyspace-events', 'Khgx');
    const registry = createRedisSiteRegistry(redis.client);
    const now = new Date().toISOString();
    for (let i = 0; i < SITES; i += 1) {
      await registry.publish({
        name: `site-${String(i).padStart(4, '0')}`,
        contact: `node${i}.example.org:2119`,
        lrms: i % 3 === 0 ? 'slurm' : 'fork',
        totalSlots: 8 + (i % 56),
        updatedAt: now,
        ttlSeconds: 3600,
        memoryMB: 2048 * (1 + (i % 4)),
        opSys: 'linux',
        arch: 'x86_64',
        tags: [i % 2 === 0 ? 'blast' : 'python3'],
        maxWallTimeMinutes: 60 * (1 + (i % 48)),
        pricePerCpuHour: (i % 10) / 100,
        vos: ['atlas', 'cms'],
        policy: 'my.Count <= 8',
        runningJobs: i % 5,
      });
    }
    const loadStarted = performance.now();
    await index.start();
    const entries = [...index.directory.entries()];
    print('mds_load_from_redis', performance.now() - loadStarted, 'ms');
    print('mds_entries', entries.length, 'entries');

    const missing = slapdMissing();
    if (missing) console.error(`no slapd anchor: ${missing}`);
    else slapd = await startSlapd(join(work, 'slapd'), await freePort(), entries);

    for (const row of ROWS) {
      const weft = await load(binary, index.port(), row);
      print(`ldap_${row.name}_weft_searches`, weft.rate, 'searches/s');
      print(`ldap_${row.name}_weft_median_latency`, weft.medianUs / 1000, 'ms', 3);
      if (weft.errors > 0) console.error(`${row.name}: ${weft.errors} searches failed against Weft`);
      if (!slapd) continue;
      const anchor = await load(binary, slapd.port, row);
      print(`ldap_${row.name}_slapd_searches`, anchor.rate, 'searches/s');
      print(`ldap_${row.name}_slapd_median_latency`, anchor.medianUs / 1000, 'ms', 3);
      print(`ldap_${row.name}_ratio`, weft.rate / anchor.rate, 'weft/slapd', 2);
      if (Math.abs(weft.entriesPerRequest - anchor.entriesPerRequest) > 0.01) {
        console.error(`${row.name}: Weft returned ${weft.entriesPerRequest} entries a search, slapd ${anchor.entriesPerRequest}`);
      }
    }
  } finally {
    await slapd?.stop();
    await index.stop();
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
