/**
 * The fork LRMS opening a job's files: a FIFO the account planted as the job's stdin is refused
 * at once instead of blocking the agent's event loop (run in a child process, which a block
 * would hang), and a job whose files cannot all be opened leaves no descriptor open behind it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createForkLrms } from '../../../services/site/lrms/fork.ts';

const isRoot = process.getuid?.() === 0;
const NOT_ROOT = 'needs root: it runs the job as the account nobody (uid 65534), as CI does';
const FORK = new URL('../../../services/site/lrms/fork.ts', import.meta.url).pathname;

const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe("the fork LRMS and the job's files", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-fork-'));
    chmodSync(dir, 0o711);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a FIFO planted as the stdin of a job that runs as an account, without blocking', { skip: isRoot ? false : NOT_ROOT }, () => {
    const workDir = join(dir, 'fifo-job');
    mkdirSync(workDir, { mode: 0o700 });
    execFileSync('mkfifo', [join(workDir, 'input')]);
    chownSync(join(workDir, 'input'), 65534, 65534);
    chownSync(workDir, 65534, 65534);
    // In a child: a blocked open would stop its whole event loop, and the timeout says so.
    const script = `
      import { createForkLrms } from ${JSON.stringify(FORK)};
      const account = { name: 'nobody', uid: 65534, gid: 65534, switchUser: true };
      const spec = { executable: '/bin/cat', arguments: [], environment: {}, count: 1, stdin: 'input' };
      try {
        await createForkLrms().run(spec, ${JSON.stringify(workDir)}, { jobId: 'j', signal: new AbortController().signal, onStarted() {}, account });
        console.log('ran');
      } catch (error) {
        console.log(error.code);
      }`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 10_000, encoding: 'utf8' });
    assert.equal(child.signal, null, 'the agent blocked opening the FIFO');
    assert.equal(child.stdout.trim(), 'GRAM_JOB_EXECUTION_FAILED', child.stderr);
  });

  it('closes the descriptors it opened when a later one cannot be opened', async () => {
    const workDir = join(dir, 'no-stderr');
    mkdirSync(workDir, { mode: 0o700 });
    writeFileSync(join(workDir, 'input'), 'data');
    mkdirSync(join(workDir, 'stderr')); // stdin and stdout open, stderr cannot
    const before = openDescriptors();
    const spec = { executable: '/bin/cat', arguments: [], environment: {}, count: 1, stdin: 'input' };
    let started = false;
    await assert.rejects(
      async () => createForkLrms().run(spec, workDir, { jobId: 'j', signal: new AbortController().signal, onStarted: () => (started = true) }),
      /EISDIR/,
    );
    assert.equal(started, false);
    assert.equal(openDescriptors(), before, 'descriptors were left open');
  });
});
