/**
 * What the index's integration tests share: a private redis-server with the keyspace
 * notifications the grid's has, the real site registry, the index on a free port, and stock
 * LDAP clients run with an argument vector (never a shell).
 */
import { spawn } from 'node:child_process';
import { loadConfig } from '../../../services/common/config.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { createRedisSiteRegistry, type SiteRecord, type SiteRegistry } from '../../../services/common/site-registry.ts';
import { createIndexService, MDS_KNOBS, type IndexService } from '../../../services/mds/index.ts';
import { startRedis, type TestRedis } from '../../support/redis-server.ts';

export interface TestIndex {
  readonly redis: TestRedis;
  readonly sites: SiteRegistry;
  readonly index: IndexService;
  readonly url: string;
  /** Another index process's worth: a second index on the same Redis. */
  startAnother(overrides?: Record<string, unknown>): Promise<IndexService>;
  stop(): Promise<void>;
}

export function site(name: string, overrides: Partial<SiteRecord> = {}): SiteRecord {
  return {
    name,
    contact: `${name}.example.org:4242`,
    lrms: 'fork',
    totalSlots: 4,
    updatedAt: new Date().toISOString(),
    ttlSeconds: 60,
    memoryMB: 2048,
    opSys: 'linux',
    arch: 'x86_64',
    tags: ['blast'],
    vos: ['atlas'],
    pricePerCpuHour: 0.05,
    runningJobs: 0,
    ...overrides,
  };
}

export async function startTestIndex(overrides: Record<string, unknown> = {}): Promise<TestIndex> {
  const redis = await startRedis();
  await redis.client.config('SET', 'notify-keyspace-events', 'Khgx');
  const sites = createRedisSiteRegistry(redis.client);
  const started: IndexService[] = [];
  const make = async (more: Record<string, unknown>) => {
    const index = createIndexService(
      { redis: redis.client, logger: silentLogger() },
      loadConfig(MDS_KNOBS, {}, { port: 0, resyncSeconds: 60, ...overrides, ...more }),
    );
    await index.start();
    started.push(index);
    return index;
  };
  const index = await make({});
  return {
    redis,
    sites,
    index,
    url: `ldap://127.0.0.1:${index.port()}`,
    startAnother: make,
    async stop() {
      for (const service of started) await service.stop();
      await redis.stop();
    },
  };
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command without blocking this process's event loop (the index under test answers from
 * it), bounded in time.
 */
export function run(command: string, args: readonly string[], input?: string, timeoutMs = 10_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** `ldapsearch -x -LLL -o ldif-wrap=no -H url …`. */
export function ldapsearch(url: string, ...args: string[]): Promise<Run> {
  return run('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', url, ...args]);
}

/** DNs in ldapsearch output. */
export function dnsOf(ldif: string): string[] {
  return [...ldif.matchAll(/^dn: (.*)$/gm)].map((m) => m[1] as string);
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
