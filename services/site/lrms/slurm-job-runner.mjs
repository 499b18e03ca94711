/**
 * What a Slurm batch job of Weft runs on the compute node (plain JavaScript: no tsx there).
 * The batch script is just the line `#!<node> <this file>`, so Slurm execs node with this file,
 * the script's path, then the script arguments sbatch was given, verbatim:
 *   <work dir> <executable> <argument>…
 * The job's environment, working directory and stdin file are in `slurm-job.json` in the work
 * dir. The program is spawned without a shell, inherits stdout/stderr (Slurm's -o/-e files),
 * gets SIGTERM/SIGINT forwarded (scancel, Slurm's time limit). `slurm-started` marks that it
 * started; its end is written to `slurm-exit.json` before this exits with its code (or 128 +
 * signal number). A program that cannot be started is reported there as `startError` (exit
 * 127, as a shell would).
 * The file names are those of SLURM_FILES in slurm-batch.ts.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [, , , workDir, executable, ...args] = process.argv;
if (!workDir || !executable) {
  process.stderr.write('slurm-job-runner: usage: <batch script> <work dir> <executable> [argument…]\n');
  process.exit(2);
}

function report(outcome) {
  const path = join(workDir, 'slurm-exit.json');
  writeFileSync(`${path}.tmp`, JSON.stringify(outcome), { mode: 0o600 });
  renameSync(`${path}.tmp`, path); // whole or absent, even if we are killed meanwhile
}

const job = JSON.parse(readFileSync(join(workDir, 'slurm-job.json'), 'utf8'));
// Slurm's own variables (SLURM_JOB_ID, SLURM_CPUS_PER_TASK, …) are worth passing on; nothing
// else of this process's environment is.
const slurmVariables = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('SLURM_')));

let input = 'ignore';
if (job.stdin !== undefined) {
  try {
    input = openSync(job.stdin, 'r');
  } catch (error) {
    report({ startError: 'stdin', code: error.code ?? String(error) });
    process.exit(127);
  }
}

const child = spawn(executable, args, {
  cwd: job.directory ?? workDir,
  env: { ...job.baseEnvironment, ...slurmVariables, ...job.environment },
  stdio: [input, 'inherit', 'inherit'],
  shell: false,
});
child.once('spawn', () => writeFileSync(join(workDir, 'slurm-started'), `${child.pid}\n`, { mode: 0o600 }));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => child.kill(signal));
}
child.once('error', (error) => {
  report({ startError: 'executable', code: error.code ?? String(error) });
  process.exit(127);
});
child.once('exit', (exitCode, signal) => {
  report({ exitCode, signal });
  process.exit(exitCode ?? 128 + (constants.signals[signal] ?? 0));
});
