/**
 * `npm start` is `scripts/grid up` in the foreground: it prints the endpoints once every part
 * answers, and Ctrl-C (SIGINT) stops everything it started and leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, it } from 'node:test';
import { freePort } from '../support/free-port.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const home = mkdtempSync(join(tmpdir(), 'weft-fg-'));
after(() => rmSync(home, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('starts in the foreground and stops every part on Ctrl-C', async () => {
  const env = {
    ...process.env,
    WEFT_HOME: home,
    WEFT_REDIS_PORT: String(await freePort()),
    WEFT_CONTAINER_PORT: String(await freePort()),
    WEFT_MDS_PORT: String(await freePort()),
    WEFT_DEMO_SITES: 'solo:1',
  };
  const grid = spawn(join(ROOT, 'scripts', 'grid'), ['up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  grid.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  grid.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => grid.once('exit', (code) => done(code)));

  const deadline = Date.now() + 90_000;
  while (!output.includes('Press Ctrl-C') && Date.now() < deadline && grid.exitCode === null) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(output, /Weft grid is up/, output);
  assert.match(output, /bin\/weft globus-job-run https:\/\/localhost:\d+ \/bin\/echo hello grid/);
  const state = JSON.parse(readFileSync(join(home, 'run', 'grid.json'), 'utf8'));
  const pids = Object.values(state.parts as Record<string, number>);
  assert.ok(pids.length >= 4 && pids.every(alive), 'every part runs');

  grid.kill('SIGINT');
  assert.equal(await exited, 0, output);
  assert.match(output, /stopped redis/);
  assert.ok(pids.every((pid) => !alive(pid)), 'no part is left running');
  assert.equal(existsSync(join(home, 'run', 'grid.json')), false);
});
