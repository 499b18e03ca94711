/**
 * Placement through Redis, as the grid does it, in two parts:
 *
 * (a) Jobs placed per second by broker processes (services/broker/main.ts, each its own Node
 *     process, default concurrency), with ONE and then TWO brokers sharing the queue: 1,000 fake
 *     sites registered in Redis with 1,000,000 slots each and no agents, 2,000 jobs of count 1
 *     stored and queued at once; the clock runs from queueing them to the last job's first
 *     `Pending` transition (`placed on …`: slot reserved, job on its site queue). Each round
 *     stops after 20 s and reports what it placed by then.
 * (b) Placement latency through a real grid (startTestGrid: the container on HTTPS, a broker, one
 *     8-slot fork site agent): createManagedJob over SOAP → `Pending … placed on` and → `Active`,
 *     median and p99, one job at a time, /bin/true, at most 200 jobs or 20 s.
 *
 * Prints `name value unit` lines. Run: node --import tsx bench/placement.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { createJob } from '../services/cli/gram-client.ts';
import { createRedisJobStore } from '../services/common/job-store.ts';
import { connectRedis, type RedisClient } from '../services/common/redis.ts';
import { BROKER_QUEUE, JOB_EVENTS_CHANNEL, QUEUE_PREFIX } from '../services/common/redis-keys.ts';
import { createRedisSiteRegistry } from '../services/common/site-registry.ts';
import { rslToJobSpec } from '../services/gram/rsl/index.ts';
import { startTestGrid } from '../test/support/grid-harness.ts';
import { startRedis } from '../test/support/redis-server.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SITES = 1_000;
const JOBS = 2_000;
const ROUND_LIMIT_MS = 20_000;
const LATENCY_JOBS = 200;

function print(name: string, value: number, unit: string) {
  console.log(`${name} ${value >= 100 ? Math.round(value) : value.toFixed(1)} ${unit}`);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The time each job id first reached each state, from the job-events channel. */
async function listenForStates(redis: RedisClient) {
  const listener = redis.duplicate();
  const seen = new Map<string, Map<string, number>>();
  listener.on('message', (_channel: string, message: string) => {
    const [id, state] = message.split(' ');
    if (!id || !state) return;
    let states = seen.get(id);
    if (!states) seen.set(id, (states = new Map()));
    if (!states.has(state)) states.set(state, performance.now());
  });
  await listener.subscribe(JOB_EVENTS_CHANNEL);
  return { seen, close: () => listener.disconnect() };
}

function startBroker(redisUrl: string, home: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'services', 'broker', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, WEFT_REDIS_URL: redisUrl, WEFT_HOME: home, WEFT_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function stopBroker(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** (a): `brokers` broker processes place JOBS jobs on SITES fake sites; returns jobs/s. */
async function placementRound(brokers: number): Promise<void> {
  const redis = await startRedis();
  const home = mkdtempSync(join(tmpdir(), 'weft-bench-placement-'));
  const connection = connectRedis(redis.url, 'bench-placement');
  const children: ChildProcess[] = [];
  const queue = new Queue(BROKER_QUEUE, { connection, prefix: QUEUE_PREFIX });
  const events = await listenForStates(connection);
  try {
    const sites = createRedisSiteRegistry(connection);
    const jobs = createRedisJobStore(connection);
    const updatedAt = new Date().toISOString();
    for (let i = 0; i < SITES; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, SITES - i) }, (_, k) =>
          sites.publish({ name: `site-${String(i + k).padStart(5, '0')}`, contact: `site-${i + k}.example.org:8443`, lrms: 'fork', totalSlots: 1_000_000, updatedAt, ttlSeconds: 600 }),
        ),
      );
    }
    const spec = rslToJobSpec('&(executable=/bin/true)(count=1)');
    const ids = Array.from({ length: JOBS }, (_, i) => `bench-${brokers}-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(ids.slice(i, i + 200).map((id) => jobs.create({ id, owner: '/O=Grid/OU=Weft/CN=Bench User', spec, submittedAt: updatedAt })));
    }
    for (let i = 0; i < brokers; i++) children.push(startBroker(redis.url, home));
    const ready = performance.now();
    while ((await queue.getWorkers()).length < brokers) {
      if (performance.now() - ready > 30_000) throw new Error(`${brokers} broker process(es) did not start in 30 s`);
      await sleep(100);
    }
    const started = performance.now();
    await queue.addBulk(ids.map((jobId) => ({ name: 'place', data: { jobId }, opts: { jobId } })));
    const placed = () => ids.filter((id) => events.seen.get(id)?.has('Pending')).length;
    while (placed() < JOBS && performance.now() - started < ROUND_LIMIT_MS) await sleep(20);
    const times = ids.map((id) => events.seen.get(id)?.get('Pending')).filter((t): t is number => t !== undefined);
    const count = times.length;
    const elapsed = (count === JOBS ? Math.max(...times) : performance.now()) - started;
    const tag = `placement_${brokers}_broker${brokers === 1 ? '' : 's'}_sites_${SITES}`;
    print(`${tag}_jobs_placed`, count, 'jobs');
    print(`${tag}_per_s`, (count / elapsed) * 1000, 'jobs/s');
  } finally {
    for (const child of children) await stopBroker(child);
    events.close();
    await queue.close();
    connection.disconnect();
    await redis.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

/** (b): submit over SOAP → placed and → Active, one job at a time, through a whole grid. */
async function latencyRound(): Promise<void> {
  const grid = await startTestGrid({ sites: [{ name: 'alpha', slots: 8 }] });
  const connection = connectRedis(grid.redis.url, 'bench-latency');
  const events = await listenForStates(connection);
  try {
    const factory = `${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`;
    const toPlaced: number[] = [];
    const toActive: number[] = [];
    const one = async () => {
      const sent = performance.now();
      const created = await createJob(factory, '&(executable=/bin/true)', grid.user);
      const id = created.managedJobEndpoint.ReferenceParameters.JobKey;
      const deadline = performance.now() + 10_000;
      while (!events.seen.get(id)?.has('Active')) {
        if (performance.now() > deadline) throw new Error(`job ${id} did not become Active in 10 s`);
        await sleep(1);
      }
      const states = events.seen.get(id)!;
      return { placed: states.get('Pending')! - sent, active: states.get('Active')! - sent };
    };
    for (let i = 0; i < 10; i++) await one(); // warm up TLS, the JIT, the queues
    const started = performance.now();
    while (toActive.length < LATENCY_JOBS && performance.now() - started < ROUND_LIMIT_MS) {
      const { placed, active } = await one();
      toPlaced.push(placed);
      toActive.push(active);
    }
    toPlaced.sort((a, b) => a - b);
    toActive.sort((a, b) => a - b);
    print('placement_latency_jobs', toActive.length, 'jobs');
    print('placement_latency_submit_to_placed_median', percentile(toPlaced, 50), 'ms');
    print('placement_latency_submit_to_placed_p99', percentile(toPlaced, 99), 'ms');
    print('placement_latency_submit_to_active_median', percentile(toActive, 50), 'ms');
    print('placement_latency_submit_to_active_p99', percentile(toActive, 99), 'ms');
  } finally {
    events.close();
    connection.disconnect();
    await grid.stop();
  }
}

await placementRound(1);
await placementRound(2);
await latencyRound();
process.exit(0);
