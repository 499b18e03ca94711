/**
 * A site agent killed with SIGKILL mid-job: the grid script starts it again, BullMQ hands the
 * stalled job out again, the new agent first kills the orphaned first run, and the job ends Done
 * having finished exactly once — never two copies running at the same time.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { startDetachedGrid, until, type DetachedGrid } from '../support/detached-grid.ts';

let grid: DetachedGrid;

/** Pids of live processes whose command line contains `token`. */
function processesWith(token: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token);
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}

before(async () => {
  grid = await startDetachedGrid({
    WEFT_DEMO_SITES: 'solo:1',
    // Notice a dead agent's job within seconds rather than the default half minute.
    WEFT_SITE_LOCK_DURATION_MS: '2000',
    WEFT_SITE_STALLED_INTERVAL_MS: '1000',
  });
});

after(() => {
  grid?.stop();
});

it('runs a job once to the end after its site agent is killed mid-run', async () => {
  const log = join(grid.home, 'runs.log');
  const marker = join(grid.home, 'first-run');
  // The first run sleeps long enough that however slowly the machine notices the dead agent,
  // the re-run arrives while it still sleeps; the re-run is quick.
  const script = `echo start >> ${log}; if [ -e ${marker} ]; then :; else : > ${marker}; sleep 120; fi; echo end >> ${log}; echo finished`;
  const submitted = grid.weft('globus-job-submit', grid.contact, '/bin/sh', '-c', script);
  assert.equal(submitted.status, 0, submitted.stderr);
  const job = submitted.stdout.trim();
  await until('the job to run', () => grid.weft('globus-job-status', job).stdout.trim() === 'ACTIVE', 20_000);

  process.kill(grid.parts()['site-solo']!, 'SIGKILL');

  await until('the job to end', () => /^(DONE|FAILED)$/.test(grid.weft('globus-job-status', job).stdout.trim()), 60_000);
  assert.equal(grid.weft('globus-job-status', job).stdout.trim(), 'DONE');
  assert.equal(grid.weft('globus-job-get-output', job).stdout, 'finished\n');
  const runs = readFileSync(log, 'utf8').trim().split('\n');
  assert.deepEqual(runs, ['start', 'start', 'end'], 'the orphaned first run was stopped before the second began');
  assert.deepEqual(processesWith(log), [], 'no copy of the job is left running');
});
