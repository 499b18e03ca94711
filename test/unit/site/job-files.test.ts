/**
 * The files the agent (root) makes and reads in a working directory that belongs to the job's
 * account, with the account racing it: a file swapped for a link between its creation and its
 * chown (a renewed proxy, Slurm's slurm-job.json) never gets a root file given away; output is
 * read back only from a regular file the account owns, never through a link, never waiting on
 * a FIFO.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, lstatSync, mkdtempSync, rmSync, statSync, symlinkSync, unlinkSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../../services/common/logger.ts';
import { readTail } from '../../../services/site/collect-output.ts';
import { writeBatchFiles } from '../../../services/site/lrms/slurm-batch.ts';
import { keepJobProxyFresh } from '../../../services/site/refresh-job-proxy.ts';

const isRoot = process.getuid?.() === 0;
const NOT_ROOT = 'needs root: only root can give a file away (to nobody, uid 65534), as CI runs';
const NOBODY = { name: 'nobody', uid: 65534, gid: 65534 };
const logger = createLogger({ name: 'test', level: 'silent' });

/** Plays the job's account: every new file whose name `matches` is swapped for a link to `target`. */
function swapNewFilesForLinks(dir: string, matches: (name: string) => boolean, target: string) {
  let swapped = 0;
  const watcher = watch(dir, (_event, name) => {
    if (!name || !matches(name)) return;
    const path = join(dir, name);
    try {
      if (lstatSync(path).isSymbolicLink()) return;
      unlinkSync(path);
      symlinkSync(target, path);
      swapped += 1;
    } catch {
      // Gone already (renamed, or removed): nothing to swap.
    }
  });
  return { swapped: () => swapped, close: () => watcher.close() };
}

describe('files the agent gives to the account while it races', { skip: isRoot ? false : NOT_ROOT }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-job-files-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a renewed proxy: the temporary file swapped for a link before its chown never gets a root file chowned', async () => {
    const jobDir = mkdtempSync(join(dir, 'proxy-'));
    const victim = join(dir, 'proxy-victim');
    writeFileSync(victim, 'root only', { mode: 0o600 });
    const attacker = swapNewFilesForLinks(jobDir, (name) => name.endsWith('.new'), victim);
    // A new notAfter at every look: the file is rewritten at every tick (20 ms).
    let n = 0;
    const read = async () => ({ certPem: 'cert\n', keyPem: 'key\n', chainPems: [], notAfter: new Date(Date.now() + 60_000 + n++) });
    const refresher = keepJobProxyFresh(read, 'd1', join(jobDir, 'x509up'), logger, NOBODY, 20);
    try {
      const deadline = Date.now() + 2000;
      while (Date.now() < deadline && statSync(victim).uid === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await refresher.stop();
      attacker.close();
    }
    assert.ok(attacker.swapped() > 0, 'the race was never run');
    assert.equal(statSync(victim).uid, 0, `a root file was chowned to the account after ${attacker.swapped()} swaps`);
  });

  it("Slurm's slurm-job.json swapped for a link before its chown never gets a root file chowned", async () => {
    const victim = join(dir, 'batch-victim');
    writeFileSync(victim, 'root only', { mode: 0o600 });
    let swaps = 0;
    for (let attempt = 0; attempt < 20 && statSync(victim).uid === 0; attempt += 1) {
      const workDir = mkdtempSync(join(dir, 'batch-'));
      const attacker = swapNewFilesForLinks(workDir, (name) => name === 'slurm-job.json', victim);
      try {
        await writeBatchFiles({ executable: '/bin/true', arguments: [], environment: {}, count: 1 }, workDir, 'job-1', NOBODY).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        attacker.close();
      }
      swaps += attacker.swapped();
    }
    assert.ok(swaps > 0, 'the race was never run');
    assert.equal(statSync(victim).uid, 0, 'a root file was chowned to the account');
  });
});

describe("reading a job's output back", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-job-output-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the tail of a regular file', async () => {
    writeFileSync(join(dir, 'plain'), 'abcdefghij');
    assert.equal(await readTail(join(dir, 'plain'), 4), '[… 6 earlier bytes dropped …]\nghij');
  });

  it('refuses a link the job put there instead of reading what it points to', async () => {
    writeFileSync(join(dir, 'secret'), 'root secret');
    symlinkSync(join(dir, 'secret'), join(dir, 'linked'));
    await assert.rejects(readTail(join(dir, 'linked'), 1024), /ELOOP|symbolic link/);
  });

  it('refuses a FIFO at once instead of waiting for a writer', { timeout: 5000 }, async () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await assert.rejects(readTail(join(dir, 'fifo'), 1024), /not a regular file/);
  });

  it("refuses a file that is not the account's own", { skip: isRoot ? false : NOT_ROOT }, async () => {
    writeFileSync(join(dir, 'roots'), 'root secret');
    await assert.rejects(readTail(join(dir, 'roots'), 1024, NOBODY.uid), /not owned by the job's account/);
    writeFileSync(join(dir, 'nobodys'), 'mine');
    chownSync(join(dir, 'nobodys'), NOBODY.uid, NOBODY.gid);
    assert.equal(await readTail(join(dir, 'nobodys'), 1024, NOBODY.uid), 'mine');
  });
});
