/**
 * A site whose jobs run through a real Slurm (a private munged, slurmctld and slurmd): output
 * and exit codes come back, Slurm saw the job, arguments and environment reach the program
 * verbatim, a missing program, a cancel and a wall-time limit end the job as on a fork site,
 * and a job handed to an agent again never runs twice.
 * The wall-time job takes a minute (the shortest limit GRAM can ask for), so it starts first
 * and is checked last, while the other tests run beside it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cancelJob, jobStatusReader, type JobStatus } from '../../../services/cli/gram-client.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import { createSlurmLrms } from '../../../services/site/lrms/slurm.ts';
import { slurmSite, startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { runToEnd, submit, waitUntilEnded } from '../../support/run-job.ts';
import { slurmSkipReason, startSlurm, type TestSlurm } from '../../support/slurm-cluster.ts';

const skip = slurmSkipReason();

/** An RSL string literal: double quotes, a doubled quote standing for itself. */
const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** The Slurm job id the site named when the job became Active ("started by slurm as job N"). */
function slurmJobIdOf(status: JobStatus): string {
  const active = (status.history?.entry ?? []).find((entry) => entry.state === 'Active');
  const id = /^started by slurm as job (\d+)$/.exec(active?.reason ?? '')?.[1];
  assert.ok(id, `no Slurm job id in the Active history entry: ${JSON.stringify(active)}`);
  return id;
}

describe('a Slurm site', { skip }, () => {
  let slurm: TestSlurm;
  let grid: TestGrid;
  let wallTimeJob: Promise<JobStatus>;
  const scontrol = async (slurmJobId: string) => slurm.client('scontrol', ['show', 'job', slurmJobId, '--oneliner']);

  before(async () => {
    slurm = await startSlurm();
    grid = await startTestGrid({ sites: [slurmSite('slurmsite', 4, slurm.partition)] });
    wallTimeJob = submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=120)(maxWallTime=1)', grid.user).then((job) =>
      waitUntilEnded(grid.baseUrl, job.jobKey, grid.user, 100_000),
    );
    wallTimeJob.catch(() => undefined); // checked by its own test
  });
  after(async () => {
    await grid?.stop();
    await slurm?.stop();
  });

  it('runs a job through sbatch and brings back its output and exit code', async () => {
    const status = await runToEnd(
      grid.baseUrl,
      '&(executable=/bin/sh)(arguments="-c" "echo out $SLURM_JOB_ID $GRAM_JOB_ID; echo err >&2; exit 3")(count=2)(maxMemory=64)',
      grid.user,
    );
    assert.equal(status.state, 'Done');
    assert.equal(Number(status.exitCode), 3);
    const slurmJobId = slurmJobIdOf(status);
    assert.equal(status.stdout, `out ${slurmJobId} ${status.jobKey}\n`);
    assert.equal(status.stderr, 'err\n');
    // Slurm itself ran it, with what GRAM asked for.
    const record = await scontrol(slurmJobId);
    assert.match(record, /JobState=FAILED Reason=NonZeroExitCode/);
    assert.match(record, / ExitCode=3:0 /);
    assert.match(record, / NumTasks=1 CPUs\/Task=2 /);
    assert.match(record, / MinMemoryNode=64M /);
    assert.match(record, / JobName=weft-/);
  });

  it('passes arguments and environment to the program exactly as submitted', async () => {
    const hostile = ['two words', 'a "quoted" word', "it's", '$(touch /tmp/weft-pwned)', '`id`', 'a;b', 'x|y', '*', '', '--help', '%j %u', 'line1\nline2'];
    const printArgv = 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), env: [process.env.LIST, process.env.SPACED] }))';
    const rsl =
      `&(executable=${process.execPath})(arguments="-e" ${quoted(printArgv)} ${hostile.map(quoted).join(' ')})` +
      `(environment=(LIST "a,b,c=d")(SPACED "  x $HOME\ny  "))`;
    const status = await runToEnd(grid.baseUrl, rsl, grid.user);
    assert.equal(status.state, 'Done', status.failureMessage);
    assert.deepEqual(JSON.parse(status.stdout ?? ''), { argv: hostile, env: ['a,b,c=d', '  x $HOME\ny  '] });
  });

  it('fails a job whose program does not exist with GRAM_EXECUTABLE_NOT_FOUND', async () => {
    for (const executable of ['/no/such/program', 'no-such-weft-program']) {
      const status = await runToEnd(grid.baseUrl, `&(executable=${executable})`, grid.user);
      assert.equal(status.state, 'Failed');
      assert.equal(status.failureCode, 'GRAM_EXECUTABLE_NOT_FOUND');
      assert.match(status.failureMessage ?? '', new RegExp(`${executable} does not exist on this site`));
    }
  });

  it('cancels a running job with scancel', async () => {
    const job = await submit(grid.baseUrl, '&(executable=/bin/sleep)(arguments=60)', grid.user);
    const read = await jobStatusReader(`${grid.baseUrl}/wsrf/services/ManagedJobService`, grid.user);
    const deadline = Date.now() + 20_000;
    let status = await read(job.jobKey);
    while (status.state !== 'Active') {
      assert.ok(Date.now() < deadline, `the job never became Active (${status.state})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await read(job.jobKey);
    }
    const slurmJobId = slurmJobIdOf(status);
    assert.match(await scontrol(slurmJobId), /JobState=RUNNING/);
    await cancelJob(`${grid.baseUrl}/wsrf/services/ManagedJobService`, job.jobKey, grid.user);
    const ended = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user);
    assert.equal(ended.state, 'Failed');
    assert.equal(ended.failureCode, 'GRAM_JOB_CANCELLED');
    const cancelledBy = Date.now() + 10_000;
    while (!/JobState=CANCELLED/.test(await scontrol(slurmJobId))) {
      assert.ok(Date.now() < cancelledBy, 'Slurm never showed the job CANCELLED');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('cancels the earlier Slurm submission of a job handed to an agent again before running it', async () => {
    // Two adapters on one working directory: the first agent "died" with its job in Slurm.
    const workDir = mkdtempSync(join(tmpdir(), 'weft-slurm-rerun-'));
    const jobDir = join(workDir, 'job');
    mkdirSync(jobDir);
    try {
      const spec = { executable: '/bin/sh', arguments: ['-c', 'echo run >> ../runs; sleep 30'], environment: {}, count: 1 };
      const started = (ids: string[]) => (_group?: number, slurmJobId?: string) => void ids.push(slurmJobId ?? '');
      const firstIds: string[] = [];
      const first = createSlurmLrms({ partition: '', pollMs: 200, logger: silentLogger() });
      const orphan = first.run(spec, jobDir, { jobId: 'rerun-job', signal: new AbortController().signal, onStarted: started(firstIds) });
      orphan.catch(() => undefined); // Slurm cancels it under its feet: that is the point
      const until = Date.now() + 20_000;
      while (firstIds.length === 0) {
        assert.ok(Date.now() < until, 'the first submission never started');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const secondIds: string[] = [];
      const stopSecond = new AbortController();
      const second = createSlurmLrms({ partition: '', pollMs: 200, logger: silentLogger() }).run(
        { ...spec, arguments: ['-c', 'echo run >> ../runs; exit 0'] },
        jobDir,
        { jobId: 'rerun-job', signal: stopSecond.signal, onStarted: started(secondIds) },
      );
      const result = await second;
      assert.equal(result.exitCode, 0);
      assert.match(await scontrol(firstIds[0] ?? ''), /JobState=CANCELLED/);
      assert.notEqual(secondIds[0], firstIds[0]);
      assert.equal(readFileSync(join(workDir, 'runs'), 'utf8'), 'run\nrun\n'); // one after the other
      await assert.rejects(orphan, { code: 'GRAM_JOB_EXECUTION_FAILED' });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('ends a job that outlives its maxWallTime with GRAM_WALLTIME_EXCEEDED, and Slurm with it', async () => {
    const status = await wallTimeJob;
    assert.equal(status.state, 'Failed');
    assert.equal(status.failureCode, 'GRAM_WALLTIME_EXCEEDED');
    const record = await scontrol(slurmJobIdOf(status));
    assert.match(record, /JobState=(CANCELLED|TIMEOUT)/);
    assert.match(record, / TimeLimit=00:01:00 /);
  });
});
