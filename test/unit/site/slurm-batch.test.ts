/**
 * What a job becomes for Slurm: the sbatch argument vector (GRAM attributes mapped, the
 * program's own arguments after the script, untouched) and the #! batch script; and the job
 * runner itself, run as Slurm would run it, passing hostile arguments and environment values
 * to the program verbatim and reporting how it ended.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { JobSpec } from '../../../services/common/job.ts';
import { batchScript, JOB_RUNNER, runnerJob, sbatchArguments, SLURM_FILES } from '../../../services/site/lrms/slurm-batch.ts';

const HOSTILE = ['two words', 'a "quoted" word', "it's", '$(touch /tmp/weft-pwned)', '`id`', 'a;b', 'line1\nline2', '', '--help', '%j', '\\'];

function spec(overrides: Partial<JobSpec> = {}): JobSpec {
  return { executable: '/bin/echo', arguments: [], environment: {}, count: 1, ...overrides };
}

describe('sbatch arguments', () => {
  it('maps count, maxWallTime, maxMemory and queue, and sends output to files in the work dir', () => {
    const args = sbatchArguments(spec({ count: 4, maxWallTime: 90, maxMemory: 512, queue: 'long' }), '/w/job-1', {
      jobId: '0123456789abcdef',
      partition: 'debug',
    });
    assert.deepEqual(args, [
      '--parsable',
      '--job-name=weft-0123456789abcdef',
      '--chdir=/w/job-1',
      '--output=/w/job-1/stdout',
      '--error=/w/job-1/stderr',
      '--export=NONE',
      '--ntasks=1',
      '--cpus-per-task=4',
      '--time=90',
      '--mem=512M',
      '--partition=long',
      '/w/job-1/slurm-batch',
      '/w/job-1',
      '/bin/echo',
    ]);
  });

  it('uses the default partition when the job names no queue, and none when there is no default', () => {
    assert.ok(sbatchArguments(spec(), '/w/j', { jobId: 'j', partition: 'debug' }).includes('--partition=debug'));
    assert.ok(!sbatchArguments(spec(), '/w/j', { jobId: 'j', partition: '' }).some((arg) => arg.startsWith('--partition')));
  });

  it('puts the program and its arguments after the batch script, exactly as submitted', () => {
    const args = sbatchArguments(spec({ executable: '-x', arguments: HOSTILE }), '/w/j', { jobId: 'j', partition: '' });
    const script = args.indexOf('/w/j/slurm-batch');
    assert.deepEqual(args.slice(script + 1), ['/w/j', '-x', ...HOSTILE]);
    assert.ok(args.slice(0, script).every((arg) => arg.startsWith('--')));
  });

  it("refuses a work dir Slurm would read as a file-name pattern", () => {
    assert.throws(() => sbatchArguments(spec(), '/w/100%/j', { jobId: 'j', partition: '' }), { code: 'SITE_SLURM_SUBMIT_FAILED' });
  });

  it('makes a batch script whose #! line runs our runner with node', () => {
    assert.equal(batchScript('/usr/bin/node', '/opt/weft/runner.mjs').split('\n')[0], '#!/usr/bin/node /opt/weft/runner.mjs');
    assert.throws(() => batchScript('/opt/my node/bin/node', '/r.mjs'), /no spaces/);
    assert.throws(() => batchScript('/usr/bin/node', `/${'x'.repeat(300)}.mjs`), /at most 255 bytes/);
  });
});

describe('the Slurm job runner', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the runner as Slurm execs the batch script: node, runner, script path, script arguments. */
  function runRunner(job: JobSpec, env: NodeJS.ProcessEnv = {}) {
    const workDir = mkdtempSync(join(tmpdir(), 'weft-runner-'));
    dirs.push(workDir);
    writeFileSync(join(workDir, SLURM_FILES.job), JSON.stringify(runnerJob(job, workDir, 'job-1')));
    const result = spawnSync(process.execPath, [JOB_RUNNER, join(workDir, SLURM_FILES.batchScript), workDir, job.executable, ...job.arguments], {
      env,
      encoding: 'utf8',
    });
    const exitFile = join(workDir, SLURM_FILES.exit);
    const exit = existsSync(exitFile) ? (JSON.parse(readFileSync(exitFile, 'utf8')) as Record<string, unknown>) : undefined;
    return { ...result, exit, workDir };
  }

  it('gives the program its arguments and environment verbatim, in a fixed environment plus SLURM_*', () => {
    const program = 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), env: process.env, cwd: process.cwd() }))';
    const environment = { LIST: 'a,b,c=d', LINES: 'one\ntwo', QUOTE: '"\'$(id)' };
    const run = runRunner(spec({ executable: process.execPath, arguments: ['-e', program, ...HOSTILE], environment }), {
      SLURM_JOB_ID: '42',
      SECRET_OF_THE_AGENT: 'x',
    });
    assert.equal(run.status, 0, run.stderr);
    const seen = JSON.parse(run.stdout) as { argv: string[]; env: Record<string, string>; cwd: string };
    assert.deepEqual(seen.argv, HOSTILE);
    assert.deepEqual(seen.env, {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: run.workDir,
      LANG: 'C.UTF-8',
      GRAM_JOB_ID: 'job-1',
      SLURM_JOB_ID: '42',
      ...environment,
    });
    assert.equal(seen.cwd, run.workDir);
    assert.deepEqual(run.exit, { exitCode: 0, signal: null });
    assert.ok(existsSync(join(run.workDir, SLURM_FILES.started)));
  });

  it('exits with the program exit code and feeds it the stdin file', () => {
    const workDirProgram = spec({ executable: '/bin/sh', arguments: ['-c', 'cat; exit 3'], stdin: 'input' });
    const workDir = mkdtempSync(join(tmpdir(), 'weft-runner-'));
    dirs.push(workDir);
    writeFileSync(join(workDir, 'input'), 'fed in\n');
    writeFileSync(join(workDir, SLURM_FILES.job), JSON.stringify(runnerJob(workDirProgram, workDir, 'job-1')));
    const run = spawnSync(process.execPath, [JOB_RUNNER, 'script', workDir, '/bin/sh', '-c', 'cat; exit 3'], { encoding: 'utf8' });
    assert.equal(run.status, 3);
    assert.equal(run.stdout, 'fed in\n');
    assert.deepEqual(JSON.parse(readFileSync(join(workDir, SLURM_FILES.exit), 'utf8')), { exitCode: 3, signal: null });
  });

  it('reports a program that does not exist, without starting anything', () => {
    const run = runRunner(spec({ executable: 'no-such-weft-program' }));
    assert.equal(run.status, 127);
    assert.deepEqual(run.exit, { startError: 'executable', code: 'ENOENT' });
    assert.ok(!existsSync(join(run.workDir, SLURM_FILES.started)));
  });

  it('passes SIGTERM on to the program and exits with 128 + its number', () => {
    const workDir = mkdtempSync(join(tmpdir(), 'weft-runner-'));
    dirs.push(workDir);
    const job = spec({ executable: '/bin/sleep', arguments: ['30'] });
    writeFileSync(join(workDir, SLURM_FILES.job), JSON.stringify(runnerJob(job, workDir, 'job-1')));
    // The runner reports the start before it could be stopped; wait for that, then stop it.
    const script = `
      const { spawn } = require('node:child_process');
      const { existsSync } = require('node:fs');
      const child = spawn(process.execPath, ${JSON.stringify([JOB_RUNNER, 'script', workDir, '/bin/sleep', '30'])}, { stdio: 'inherit' });
      const timer = setInterval(() => { if (existsSync(${JSON.stringify(join(workDir, SLURM_FILES.started))})) { clearInterval(timer); child.kill('SIGTERM'); } }, 20);
      child.on('exit', (code) => process.exit(code));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 143);
    assert.deepEqual(JSON.parse(readFileSync(join(workDir, SLURM_FILES.exit), 'utf8')), { exitCode: null, signal: 'SIGTERM' });
  });
});
