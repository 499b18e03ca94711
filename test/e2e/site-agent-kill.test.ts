/**
 * A site agent killed with SIGKILL mid-job: the grid script starts it again, BullMQ hands the
 * stalled job out again, the new agent first kills the orphaned first run, and the job ends Done
 * having finished exactly once — never two copies running at the same time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { devUserEnv } from '../support/dev-user-env.ts';
import { freePort } from '../support/free-port.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
let home: string;
let env: NodeJS.ProcessEnv;
let contact: string;
const grid = (...args: string[]) => spawnSync(join(ROOT, 'scripts', 'grid'), args, { env, encoding: 'utf8', timeout: 150_000 });
const weft = (...args: string[]) => spawnSync(join(ROOT, 'bin', 'weft'), args, { env, encoding: 'utf8', timeout: 60_000 });

async function until(what: string, check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'weft-agent-kill-'));
  const port = await freePort();
  env = {
    ...devUserEnv(join(ROOT, 'certs')),
    WEFT_HOME: home,
    WEFT_REDIS_PORT: String(await freePort()),
    WEFT_CONTAINER_PORT: String(port),
    WEFT_MDS_PORT: String(await freePort()),
    WEFT_DEMO_SITES: 'solo:1',
    // Notice a dead agent's job within seconds rather than the default half minute.
    WEFT_SITE_LOCK_DURATION_MS: '2000',
    WEFT_SITE_STALLED_INTERVAL_MS: '1000',
  };
  contact = `https://localhost:${port}`;
  const up = grid('up', '--detach');
  assert.equal(up.status, 0, up.stdout + up.stderr);
});

after(() => {
  grid('down');
  rmSync(home, { recursive: true, force: true });
});

it('runs a job once to the end after its site agent is killed mid-run', async () => {
  const log = join(home, 'runs.log');
  const script = `echo start >> ${log}; sleep 3; echo end >> ${log}; echo finished`;
  const submitted = weft('globus-job-submit', contact, '/bin/sh', '-c', script);
  assert.equal(submitted.status, 0, submitted.stderr);
  const job = submitted.stdout.trim();
  await until('the job to run', () => weft('globus-job-status', job).stdout.trim() === 'ACTIVE', 20_000);

  const agent = JSON.parse(readFileSync(join(home, 'run', 'grid.json'), 'utf8')).parts['site-solo'] as number;
  process.kill(agent, 'SIGKILL');

  await until('the job to end', () => /^(DONE|FAILED)$/.test(weft('globus-job-status', job).stdout.trim()), 60_000);
  assert.equal(weft('globus-job-status', job).stdout.trim(), 'DONE');
  assert.equal(weft('globus-job-get-output', job).stdout, 'finished\n');
  const runs = readFileSync(log, 'utf8').trim().split('\n');
  assert.deepEqual(runs, ['start', 'start', 'end'], 'the orphaned first run was stopped before the second began');
});
