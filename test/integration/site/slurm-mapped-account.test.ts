/**
 * A Slurm site with a grid-mapfile, its agent running as root (as CI runs): Slurm runs the job
 * as the mapped local account (sbatch --uid/--gid), not as root, and the job can read what the
 * site prepared for it. Skipped, saying so, without root or without Slurm.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { slurmSite, startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { runToEnd } from '../../support/run-job.ts';
import { slurmSkipReason, startSlurm, type TestSlurm } from '../../support/slurm-cluster.ts';

const run = promisify(execFile);
const DEV_DN = '/O=Grid/OU=Weft/CN=Dev User';

describe('a Slurm site with a grid-mapfile', { skip: slurmSkipReason() }, () => {
  const account = `weft-test-${randomBytes(3).toString('hex')}`;
  let accountUid = -1;
  let slurm: TestSlurm;
  let grid: TestGrid;
  let dir: string;

  before(async () => {
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', account]);
    accountUid = Number((await run('id', ['-u', account])).stdout.trim());
    dir = mkdtempSync(join(tmpdir(), 'weft-slurm-map-'));
    chmodSync(dir, 0o711); // the account must be able to pass through to its working directory
    const map = join(dir, 'grid-mapfile');
    writeFileSync(map, `"${DEV_DN}" ${account}\n`);
    slurm = await startSlurm();
    const site = slurmSite('slurmmapped', 2, slurm.partition);
    grid = await startTestGrid({ sites: [{ ...site, knobs: { ...site.knobs, gridMapfile: map, workDir: join(dir, 'work') } }] });
  });
  after(async () => {
    await grid?.stop();
    await slurm?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await run('userdel', [account]).catch(() => undefined);
  });

  it('runs the job as the mapped account, with its environment saying so', async () => {
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/sh)(arguments="-c" "id -un; echo $USER")', grid.user);
    assert.equal(status.state, 'Done', `${status.failureCode ?? ''} ${status.failureMessage ?? ''}`);
    assert.equal(status.stdout, `${account}\n${account}\n`);
    const workDir = join(dir, 'work', status.jobKey);
    assert.equal(statSync(workDir).uid, accountUid);
    assert.equal(statSync(join(workDir, 'stdout')).uid, accountUid, 'Slurm wrote the output as the account');
  });
});
