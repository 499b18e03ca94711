/**
 * The Slurm adapter's reading of how a job ended, against an in-memory Slurm (a fake of the
 * sbatch/squeue/scontrol/scancel commands): Slurm's own time limit, a job Slurm forgot, a node
 * that failed, a refused submission, a cancel, and one squeue call for all of an agent's jobs.
 * The real Slurm is in test/integration/site/slurm.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../../services/common/logger.ts';
import type { JobSpec } from '../../../services/common/job.ts';
import { SLURM_FILES } from '../../../services/site/lrms/slurm-batch.ts';
import type { SlurmCommand } from '../../../services/site/lrms/slurm-poller.ts';
import { createSlurmLrms } from '../../../services/site/lrms/slurm.ts';

const SPEC: JobSpec = { executable: 'prog', arguments: [], environment: {}, count: 1 };

/** A Slurm in memory: jobs move between states as a test says; every command is recorded. */
function fakeSlurm() {
  const jobs = new Map<string, { state: string; exitCode?: string; reason?: string } | 'purged'>();
  const names = new Map<string, string>();
  const calls: string[][] = [];
  let nextId = 100;
  let refuse: string | undefined;
  const unknown = () => Object.assign(new Error('exit 1'), { stderr: 'slurm_load_jobs error: Invalid job id specified\n' });
  const command: SlurmCommand = async (name, args) => {
    calls.push([name, ...args]);
    if (name === 'sbatch') {
      if (refuse) throw Object.assign(new Error('exit 1'), { stderr: `sbatch: error: ${refuse}\n` });
      const id = String(nextId++);
      jobs.set(id, { state: 'PENDING' });
      names.set(id, (args.find((arg) => arg.startsWith('--job-name=')) ?? '').slice('--job-name='.length));
      return `${id}\n`;
    }
    if (name === 'squeue' && args.some((arg) => arg.startsWith('--name='))) {
      // By name, as squeue does by default: only jobs still queued or running.
      const wanted = (args.find((arg) => arg.startsWith('--name=')) ?? '').slice('--name='.length);
      return [...names]
        .filter(([id, jobName]) => {
          const job = jobs.get(id);
          return jobName === wanted && job && job !== 'purged' && (job.state === 'PENDING' || job.state === 'RUNNING');
        })
        .map(([id]) => `${id}\n`)
        .join('');
    }
    if (name === 'squeue') {
      const ids = (args.find((arg) => arg.startsWith('--jobs=')) ?? '').slice('--jobs='.length).split(',');
      const known = ids.filter((id) => { const job = jobs.get(id); return job && job !== 'purged'; });
      if (ids.length === 1 && known.length === 0) throw unknown();
      return known.map((id) => { const job = jobs.get(id); return `${id}|${job === 'purged' || !job ? '' : job.state}\n`; }).join('');
    }
    if (name === 'scontrol') {
      const job = jobs.get(args[2] ?? '');
      if (!job || job === 'purged') throw unknown();
      return `JobId=${args[2]} JobName=x JobState=${job.state} Reason=${job.reason ?? 'None'} ExitCode=${job.exitCode ?? '0:0'} RunTime=0\n`;
    }
    if (name === 'scancel') {
      const id = args.at(-1) ?? '';
      const job = jobs.get(id);
      if (job && job !== 'purged') jobs.set(id, { state: 'CANCELLED', exitCode: '0:15' });
      return '';
    }
    throw new Error(`unexpected command ${name}`);
  };
  return {
    command,
    jobs,
    calls,
    refuseWith: (message: string) => void (refuse = message),
  };
}

describe('the Slurm adapter', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}.slurm-job-id`, { force: true }); // kept beside the work dir (slurm-batch.ts)
    }
  });
  function workDir() {
    const dir = mkdtempSync(join(tmpdir(), 'weft-slurm-unit-'));
    dirs.push(dir);
    return dir;
  }
  const until = async (ready: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!ready()) {
      assert.ok(Date.now() < deadline, 'timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  let jobs = 0;
  function start(
    slurm: ReturnType<typeof fakeSlurm>,
    dir: string,
    signal = new AbortController().signal,
    lrms = createSlurmLrms({ partition: '', pollMs: 10, logger: silentLogger(), command: slurm.command }),
    jobId = `job-${(jobs += 1)}`,
  ) {
    const started: Array<string | undefined> = [];
    const result = lrms.run(SPEC, dir, { jobId, signal, onStarted: (_group, id) => void started.push(id) });
    result.catch(() => undefined);
    return { result, started };
  }

  it("reports Slurm's TIMEOUT as the wall time exceeded, with how the program was stopped", async () => {
    const slurm = fakeSlurm();
    const dir = workDir();
    const { result, started } = start(slurm, dir);
    await until(() => slurm.jobs.has('100'));
    slurm.jobs.set('100', { state: 'RUNNING' });
    writeFileSync(join(dir, SLURM_FILES.started), '1\n');
    await until(() => started.length === 1);
    assert.deepEqual(started, ['100']);
    writeFileSync(join(dir, SLURM_FILES.exit), JSON.stringify({ exitCode: null, signal: 'SIGTERM' }));
    slurm.jobs.set('100', { state: 'TIMEOUT', reason: 'TimeLimit', exitCode: '0:15' });
    const ended = await result;
    assert.equal(ended.wallTimeExceeded, true);
    assert.equal(ended.killedBy, 'SIGTERM');
    assert.equal(ended.stdoutPath, join(dir, 'stdout'));
  });

  it('takes the exit status from the work dir when Slurm has forgotten the job', async () => {
    const slurm = fakeSlurm();
    const dir = workDir();
    const { result, started } = start(slurm, dir);
    await until(() => slurm.jobs.has('100'));
    writeFileSync(join(dir, SLURM_FILES.exit), JSON.stringify({ exitCode: 7, signal: null }));
    slurm.jobs.set('100', 'purged');
    const ended = await result;
    assert.equal(ended.exitCode, 7);
    assert.deepEqual(started, ['100']); // it did run
  });

  it('fails with SITE_SLURM_JOB_LOST when Slurm forgot the job and it left no exit status', async () => {
    const slurm = fakeSlurm();
    const { result } = start(slurm, workDir());
    await until(() => slurm.jobs.has('100'));
    slurm.jobs.set('100', 'purged');
    await assert.rejects(result, { code: 'SITE_SLURM_JOB_LOST', message: /Slurm forgot job 100/ });
  });

  it('fails a job whose node failed with the state and reason Slurm gave', async () => {
    const slurm = fakeSlurm();
    const { result } = start(slurm, workDir());
    await until(() => slurm.jobs.has('100'));
    slurm.jobs.set('100', { state: 'NODE_FAIL', reason: 'NodeDown' });
    await assert.rejects(result, { code: 'GRAM_JOB_EXECUTION_FAILED', message: /job 100 as NODE_FAIL \(NodeDown\)/ });
  });

  it("fails with SITE_SLURM_SUBMIT_FAILED and sbatch's reason when Slurm refuses the job", async () => {
    const slurm = fakeSlurm();
    slurm.refuseWith('Batch job submission failed: Invalid partition name specified');
    const { result } = start(slurm, workDir());
    await assert.rejects(result, { code: 'SITE_SLURM_SUBMIT_FAILED', message: 'Slurm did not take the job: Batch job submission failed: Invalid partition name specified' });
  });

  it('scancels a job when it is stopped, and ends once Slurm shows it cancelled', async () => {
    const slurm = fakeSlurm();
    const stop = new AbortController();
    const { result } = start(slurm, workDir(), stop.signal);
    await until(() => slurm.jobs.has('100'));
    stop.abort('cancelled');
    const ended = await result;
    assert.equal(ended.killedBy, 'SIGTERM');
    assert.ok(slurm.calls.some((call) => call.join(' ') === 'scancel 100'));
  });

  it('cancels an earlier submission found by the job name before submitting again, even when its id was never written down', async () => {
    const slurm = fakeSlurm();
    const dir = workDir();
    const lrms = createSlurmLrms({ partition: '', pollMs: 10, logger: silentLogger(), command: slurm.command });
    const first = start(slurm, dir, undefined, lrms, 'job-twice');
    await until(() => slurm.jobs.has('100'));
    // The agent that submitted it died before it wrote the id down: the id file is gone.
    rmSync(`${dir}.slurm-job-id`, { force: true });
    const again = start(slurm, dir, undefined, lrms, 'job-twice');
    await until(() => slurm.jobs.has('101'));
    const cancelAt = slurm.calls.findIndex((call) => call.join(' ') === 'scancel 100');
    const secondSubmitAt = slurm.calls.findIndex((call, index) => call[0] === 'sbatch' && index > slurm.calls.findIndex((c) => c[0] === 'sbatch'));
    assert.ok(cancelAt >= 0, 'the earlier submission was cancelled');
    assert.ok(cancelAt < secondSubmitAt, 'before the job was submitted again');
    slurm.jobs.set('101', { state: 'COMPLETED', exitCode: '0:0' });
    assert.equal((await again.result).exitCode, 0);
    await first.result.catch(() => undefined);
  });

  it("asks squeue once per poll about all of an agent's waiting jobs", async () => {
    const slurm = fakeSlurm();
    const lrms = createSlurmLrms({ partition: '', pollMs: 10, logger: silentLogger(), command: slurm.command });
    const first = start(slurm, workDir(), undefined, lrms);
    const second = start(slurm, workDir(), undefined, lrms);
    await until(() => slurm.jobs.has('101'));
    const polls = slurm.calls.length;
    const askedAboutBoth = (call: string[]) => call.some((arg) => arg === '--jobs=100,101' || arg === '--jobs=101,100');
    await until(() => slurm.calls.filter(askedAboutBoth).length >= 2);
    assert.ok(slurm.calls.slice(polls).every((call) => call[0] === 'squeue'), 'running jobs cost no scontrol call');
    for (const id of ['100', '101']) slurm.jobs.set(id, { state: 'COMPLETED', exitCode: '0:0' });
    assert.equal((await first.result).exitCode, 0);
    assert.equal((await second.result).exitCode, 0);
  });
});
