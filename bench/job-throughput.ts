/**
 * Submission to completion of trivial jobs (/bin/true) through the whole path: SOAP over HTTPS
 * with a client certificate, Redis, the broker, a fork site agent. Reports throughput and the
 * latency from sending createManagedJob to the Done state change (median, p99), at 1 and at 16
 * concurrent clients, beside the anchor: a bare BullMQ queue on the same Redis (add → a worker
 * completes it → the completion event), which is the floor any BullMQ-based grid pays per hop.
 *
 * The grid is a real one, each part its own process (scripts/grid up --detach, one fork site
 * with 8 slots); the bench process is only the SOAP client and a Redis listener for Done.
 *
 * Run: node --import tsx bench/job-throughput.ts      (about a minute; bounded in count and time)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { connectRedis } from '../services/common/redis.ts';
import { JOB_EVENTS_CHANNEL } from '../services/common/redis-keys.ts';
import { createJob } from '../services/cli/gram-client.ts';
import { caPemsIn, startTestGrid } from '../test/support/grid-harness.ts';
import { freePort } from '../test/support/free-port.ts';

const ROOT = resolve(import.meta.dirname, '..');

const JOBS_PER_ROUND = 200;
const ROUND_TIME_LIMIT_MS = 30_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(name: string, latencies: number[], elapsedMs: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(`${name}_throughput ${((latencies.length / elapsedMs) * 1000).toFixed(1)} jobs/s`);
  console.log(`${name}_latency_median ${percentile(sorted, 50).toFixed(1)} ms`);
  console.log(`${name}_latency_p99 ${percentile(sorted, 99).toFixed(1)} ms`);
}

/** Runs `total` tasks with `concurrency` in flight; stops starting new ones after the time limit. */
async function drive(concurrency: number, total: number, task: () => Promise<number>) {
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total && performance.now() - started < ROUND_TIME_LIMIT_MS) {
        next += 1;
        latencies.push(await task());
      }
    }),
  );
  return { latencies, elapsedMs: performance.now() - started };
}

/** A real multi-process grid (scripts/grid up --detach) with one 8-slot fork site. */
async function startRealGrid() {
  const home = mkdtempSync(join(tmpdir(), 'weft-bench-'));
  const redisPort = await freePort();
  const containerPort = await freePort();
  const env = {
    ...process.env,
    WEFT_HOME: home,
    WEFT_REDIS_PORT: String(redisPort),
    WEFT_CONTAINER_PORT: String(containerPort),
    WEFT_MDS_PORT: String(await freePort()),
    WEFT_DEMO_SITES: 'alpha:8',
    WEFT_LOG_LEVEL: 'warn',
  };
  const grid = (command: string) => spawnSync(join(ROOT, 'scripts', 'grid'), [command, ...(command === 'up' ? ['--detach'] : [])], { env, encoding: 'utf8' });
  const up = grid('up');
  if (up.status !== 0) throw new Error(`the grid did not start: ${up.stdout}${up.stderr}`);
  const certs = join(ROOT, 'certs');
  return {
    baseUrl: `https://localhost:${containerPort}`,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    user: {
      certPem: readFileSync(join(certs, 'user', 'usercert.pem'), 'utf8'),
      keyPem: readFileSync(join(certs, 'user', 'userkey.pem'), 'utf8'),
      chainPems: [],
      caPems: caPemsIn(join(certs, 'grid-security', 'certificates')),
    },
    stop() {
      grid('down');
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function weftRounds() {
  const grid = await startRealGrid();
  const listener = connectRedis(grid.redisUrl, 'bench-listener');
  const reader = connectRedis(grid.redisUrl, 'bench-reader');
  const waiting = new Map<string, () => void>();
  listener.on('message', (_channel: string, message: string) => {
    const [jobId, state] = message.split(' ');
    if (state === 'Done' || state === 'Failed') waiting.get(jobId ?? '')?.();
  });
  await listener.subscribe(JOB_EVENTS_CHANNEL);
  const factory = `${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`;
  const oneJob = async () => {
    const sent = performance.now();
    const created = await createJob(factory, '&(executable=/bin/true)', grid.user);
    const jobKey = created.managedJobEndpoint.ReferenceParameters.JobKey;
    await new Promise<void>((resolve) => {
      waiting.set(jobKey, resolve);
      void reader.hget(`weft:job:{${jobKey}}`, 'state').then((state) => {
        if (state === 'Done' || state === 'Failed') resolve(); // ended before we listened
      });
    });
    waiting.delete(jobKey);
    return performance.now() - sent;
  };
  await drive(4, 20, oneJob); // warm up TLS, JIT, queues
  for (const concurrency of [1, 16]) {
    const { latencies, elapsedMs } = await drive(concurrency, JOBS_PER_ROUND, oneJob);
    report(`weft_soap_to_done_c${concurrency}`, latencies, elapsedMs);
  }
  listener.disconnect();
  reader.disconnect();
  grid.stop();
}

async function bareBullmqRounds() {
  const grid = await startTestGrid({ sites: [] });
  const connection = connectRedis(grid.redis.url, 'bench-bullmq');
  const queue = new Queue('bench', { connection });
  const events = new QueueEvents('bench', { connection: connection.duplicate() });
  const worker = new Worker('bench', async () => 'ok', { connection: connection.duplicate(), concurrency: 8 });
  await Promise.all([events.waitUntilReady(), worker.waitUntilReady()]);
  let counter = 0;
  const oneJob = async () => {
    const sent = performance.now();
    const job = await queue.add('noop', { n: (counter += 1) });
    await job.waitUntilFinished(events, 10_000);
    return performance.now() - sent;
  };
  await drive(4, 20, oneJob);
  for (const concurrency of [1, 16]) {
    const { latencies, elapsedMs } = await drive(concurrency, JOBS_PER_ROUND, oneJob);
    report(`anchor_bare_bullmq_c${concurrency}`, latencies, elapsedMs);
  }
  await worker.close();
  await events.close();
  await queue.close();
  connection.disconnect();
  await grid.stop();
}

await weftRounds();
await bareBullmqRounds();
process.exit(0);
