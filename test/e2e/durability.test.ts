/**
 * "No accepted job is lost": once globus-job-submit has printed a contact, the job ends Done even
 * when Redis, the broker and the container are killed with SIGKILL right after; the grid script
 * starts them again and the grid keeps working.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../support/free-port.ts';
import { devUserEnv } from '../support/dev-user-env.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('jobs survive kill -9 of the grid daemons and of Redis', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let contact: string;
  const grid = (...args: string[]) => spawnSync(join(ROOT, 'scripts', 'grid'), args, { env, encoding: 'utf8', timeout: 150_000 });
  const weft = (...args: string[]) => spawnSync(join(ROOT, 'bin', 'weft'), args, { env, encoding: 'utf8', timeout: 60_000 });
  const parts = () => JSON.parse(readFileSync(join(home, 'run', 'grid.json'), 'utf8')).parts as Record<string, number>;

  async function until(what: string, check: () => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'weft-kill-'));
    const port = await freePort();
    env = {
      ...devUserEnv(join(ROOT, 'certs')),
      WEFT_HOME: home,
      WEFT_REDIS_PORT: String(await freePort()),
      WEFT_CONTAINER_PORT: String(port),
      WEFT_MDS_PORT: String(await freePort()),
      WEFT_DEMO_SITES: 'solo:2',
    };
    contact = `https://localhost:${port}`;
    const up = grid('up', '--detach');
    assert.equal(up.status, 0, up.stdout + up.stderr);
  });

  after(() => {
    grid('down');
    rmSync(home, { recursive: true, force: true });
  });

  it('finishes a job whose Redis, broker and container were killed just after it was accepted', async () => {
    const submitted = weft('globus-job-submit', contact, '/bin/sh', '-c', 'sleep 1; echo survived');
    assert.equal(submitted.status, 0, submitted.stderr);
    const job = submitted.stdout.trim();
    const before = parts();
    for (const name of ['redis', 'broker', 'container']) process.kill(before[name]!, 'SIGKILL');

    await until('the grid to start the killed parts again', () => {
      const now = parts();
      return ['redis', 'broker', 'container'].every((name) => now[name] !== before[name]) && grid('status').status === 0;
    }, 60_000);
    await until('the job to end', () => /^(DONE|FAILED)$/.test(weft('globus-job-status', job).stdout.trim()), 60_000);
    assert.equal(weft('globus-job-status', job).stdout.trim(), 'DONE');
    assert.equal(weft('globus-job-get-output', job).stdout, 'survived\n');

    const after = weft('globus-job-run', contact, '/bin/echo', 'still working');
    assert.equal(after.stdout, 'still working\n', after.stderr);
  });
});
