/**
 * "No accepted job is lost": once globus-job-submit has printed a contact, the job ends Done even
 * when Redis, the broker and the container are killed with SIGKILL right after; the grid script
 * starts them again and the grid keeps working.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startDetachedGrid, until, type DetachedGrid } from '../support/detached-grid.ts';

let grid: DetachedGrid;

before(async () => {
  grid = await startDetachedGrid({ WEFT_DEMO_SITES: 'solo:2' });
});

after(() => {
  grid?.stop();
});

it('finishes a job whose Redis, broker and container were killed just after it was accepted', async () => {
  const submitted = grid.weft('globus-job-submit', grid.contact, '/bin/sh', '-c', 'sleep 1; echo survived');
  assert.equal(submitted.status, 0, submitted.stderr);
  const job = submitted.stdout.trim();
  const killed = ['redis', 'broker', 'container'];
  const before = grid.parts();
  for (const name of killed) process.kill(before[name]!, 'SIGKILL');

  await until('the grid to start the killed parts again', () => {
    const now = grid.parts();
    return killed.every((name) => now[name] !== before[name]) && grid.grid('status').status === 0;
  }, 60_000);
  // When the site agent had just taken the job as Redis died, BullMQ gives it out again only once
  // the agent's hold on it lapses (WEFT_SITE_LOCK_DURATION_MS, 30 s, checked every 30 s): allow
  // twice that and more, so that the test waits for the promise, not for luck.
  await until('the job to end', () => /^(DONE|FAILED)$/.test(grid.weft('globus-job-status', job).stdout.trim()), 150_000);
  assert.equal(grid.weft('globus-job-status', job).stdout.trim(), 'DONE');
  assert.equal(grid.weft('globus-job-get-output', job).stdout, 'survived\n');

  const after = grid.weft('globus-job-run', grid.contact, '/bin/echo', 'still working');
  assert.equal(after.stdout, 'still working\n', after.stderr);
});
