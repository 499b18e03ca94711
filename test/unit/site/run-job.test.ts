/**
 * runJob with in-memory stand-ins for Redis (the job store, the site registry): the wall-time
 * limit counts from when the program starts, not from submission (a job queued in its LRMS
 * longer than its maxWallTime is not failed for it); and, as root with a mapped account, the
 * agent never writes, chowns or reads back through a link the account planted in the job's
 * working directory (a re-run starts from a fresh directory; output read back only from a
 * regular file of the account's).
 */
import assert from 'node:assert/strict';
import { chmodSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JobSpec } from '../../../services/common/job.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import type { SiteRegistry } from '../../../services/common/site-registry.ts';
import type { JobAccount } from '../../../services/site/authz/job-account.ts';
import { createForkLrms } from '../../../services/site/lrms/fork.ts';
import type { Lrms } from '../../../services/site/lrms/lrms.ts';
import { runJob, type RunJobDeps } from '../../../services/site/run-job.ts';
import { oneJobStore } from '../../support/one-job-store.ts';

const isRoot = process.getuid?.() === 0;
const NOT_ROOT = 'needs root: it runs jobs as the account nobody (uid 65534), as CI does';
const NOBODY: JobAccount = { name: 'nobody', uid: 65534, gid: 65534, switchUser: true };

function harness(spec: Partial<JobSpec>, workRoot: string, lrms: Lrms, extra: Partial<RunJobDeps> = {}) {
  const one = oneJobStore(spec, 'Pending');
  const jobs = one.store;
  const sites: SiteRegistry = {
    publish: async () => undefined,
    listLive: async () => [],
    reserve: async () => true,
    release: async () => undefined,
  };
  const deps: RunJobDeps = { site: 'alpha', jobs, sites, lrms, workRoot, outputLimitBytes: 4096, logger: silentLogger(), ...extra };
  return {
    run: () => runJob(deps, 'job-1', new AbortController().signal),
    job: one.job,
    /** Hands the job to the agent again, as after its agent died. */
    again: () => one.setState('Pending'),
  };
}

/**
 * An LRMS like Slurm's: the program starts `queuedMs` after submission, runs `runMs`, and is
 * stopped (as scancel would) when the agent's signal fires.
 */
function queueingLrms(queuedMs: number, runMs: number): Lrms {
  return {
    type: 'queueing',
    run: (_spec, workDir, run) =>
      new Promise((resolve) => {
        const stdoutPath = join(workDir, 'stdout');
        const stderrPath = join(workDir, 'stderr');
        for (const path of [stdoutPath, stderrPath]) writeFileSync(path, '', { flag: 'a' });
        const timers: NodeJS.Timeout[] = [];
        const end = (result: { exitCode: number | null; killedBy: string | null }) => {
          for (const timer of timers) clearTimeout(timer);
          resolve({ ...result, stdoutPath, stderrPath });
        };
        run.signal.addEventListener('abort', () => end({ exitCode: null, killedBy: 'SIGTERM' }), { once: true });
        timers.push(
          setTimeout(() => {
            run.onStarted(undefined, '42');
            timers.push(setTimeout(() => end({ exitCode: 0, killedBy: null }), runMs));
          }, queuedMs),
        );
      }),
  };
}

describe('the wall-time limit', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-run-job-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('does not count time the job spent queued in its LRMS before the program started', async () => {
    // maxWallTime 0.005 minutes = 300 ms; the job waits 600 ms in the queue, then runs 50 ms.
    const h = harness({ maxWallTime: 0.005 }, join(dir, 'queued'), queueingLrms(600, 50));
    await h.run();
    assert.equal(h.job().state, 'Done', `${h.job().failureCode ?? ''} ${h.job().failureMessage ?? ''}`);
    assert.equal(h.job().exitCode, 0);
  });

  it('still stops a program that runs longer than its maxWallTime once started', async () => {
    const started = Date.now();
    const h = harness({ maxWallTime: 0.005 }, join(dir, 'long'), queueingLrms(400, 60_000));
    await h.run();
    assert.equal(h.job().state, 'Failed');
    assert.equal(h.job().failureCode, 'GRAM_WALLTIME_EXCEEDED');
    // Queued 400 ms, then stopped 300 ms after it started: not before it started.
    assert.ok(Date.now() - started >= 650, `stopped after ${Date.now() - started} ms`);
  });
});

describe('the job files of a mapped account, the agent being root', { skip: isRoot ? false : NOT_ROOT }, () => {
  let dir: string;
  let workRoot: string;
  let victims: string;
  const credential = { certPem: 'cert\n', keyPem: 'key\n', chainPems: [], notAfter: new Date(Date.now() + 3_600_000) };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-run-job-root-'));
    chmodSync(dir, 0o711); // the account reaches its own directory below
    workRoot = join(dir, 'jobs');
    mkdirSync(workRoot, { mode: 0o711 });
    victims = join(dir, 'victims'); // root's files, that the account must not get
    mkdirSync(victims, { mode: 0o700 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const victim = (name: string) => {
    const path = join(victims, name);
    writeFileSync(path, `root's ${name} secret\n`, { mode: 0o600 });
    return path;
  };

  it('on a re-run, neither truncates, writes nor chowns through links the account left in its old directory', async () => {
    const h = harness({ executable: '/bin/echo', arguments: ['hello'], delegationId: 'd1' }, workRoot, createForkLrms(), {
      accountFor: async () => NOBODY,
      delegatedCredential: async () => credential,
    });
    await h.run();
    assert.equal(h.job().state, 'Done', `${h.job().failureCode ?? ''} ${h.job().failureMessage ?? ''}`);
    const workDir = join(workRoot, 'job-1');
    assert.equal(statSync(workDir).uid, NOBODY.uid);

    // Left behind by the account (a program of an earlier run, or another job of the owner).
    const planted = { stdout: victim('stdout'), stderr: victim('stderr'), x509up: victim('x509up') };
    for (const [name, target] of Object.entries(planted)) {
      rmSync(join(workDir, name), { force: true });
      symlinkSync(target, join(workDir, name));
      lchownSync(join(workDir, name), NOBODY.uid, NOBODY.gid);
    }
    h.again();
    await h.run();
    assert.equal(h.job().state, 'Done', `${h.job().failureCode ?? ''} ${h.job().failureMessage ?? ''}`);
    assert.equal(h.job().stdout, 'hello\n');
    for (const [name, target] of Object.entries(planted)) {
      assert.equal(readFileSync(target, 'utf8'), `root's ${name} secret\n`, `${name} written through`);
      assert.equal(statSync(target).uid, 0, `${name} chowned through`);
      assert.ok(!lstatSync(join(workDir, name), { throwIfNoEntry: false })?.isSymbolicLink(), `${name} still a link`);
    }
    const stdout = lstatSync(join(workDir, 'stdout'));
    assert.ok(stdout.isFile());
    assert.equal(stdout.uid, NOBODY.uid);
  });

  it("does not read a root file back into the job's status through a link the job put at its stderr", async () => {
    const secret = victim('shadow');
    const h = harness({ executable: '/bin/sh', arguments: ['-c', `echo out; rm -f stderr; ln -s ${secret} stderr`] }, join(dir, 'jobs2'), createForkLrms(), {
      accountFor: async () => NOBODY,
    });
    mkdirSync(join(dir, 'jobs2'), { mode: 0o711 });
    await h.run();
    assert.ok(lstatSync(join(dir, 'jobs2', 'job-1', 'stderr')).isSymbolicLink(), 'the job planted its link');
    assert.equal(h.job().state, 'Failed');
    assert.equal(h.job().failureCode, 'SITE_OUTPUT_UNREADABLE');
    assert.ok(!JSON.stringify(h.job()).includes('shadow secret'), 'the secret reached the status');
  });

  it('gives the job its output files and proxy, made by the agent, as the account\'s own', async () => {
    const root = join(dir, 'jobs3');
    mkdirSync(root, { mode: 0o711 });
    const h = harness({ executable: '/bin/sh', arguments: ['-c', 'stat -c "%U %a" stdout stderr x509up'], delegationId: 'd1' }, root, createForkLrms(), {
      accountFor: async () => NOBODY,
      delegatedCredential: async () => credential,
    });
    await h.run();
    assert.equal(h.job().state, 'Done', `${h.job().failureCode ?? ''} ${h.job().failureMessage ?? ''} ${h.job().stderr ?? ''}`);
    assert.equal(h.job().stdout, 'nobody 600\nnobody 600\nnobody 600\n');
    // Not left behind: the proxy lives as long as the program.
    assert.equal(lstatSync(join(root, 'job-1', 'x509up'), { throwIfNoEntry: false }), undefined);
  });
});
