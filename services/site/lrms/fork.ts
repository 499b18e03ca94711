/**
 * The `fork` LRMS: runs the job as a local process. No shell is involved: the program gets its
 * argument vector exactly as submitted. Each job gets its own process group (so a cancel or a
 * wall-time kill takes its children too), a fresh working directory, a small fixed environment
 * plus what the job asked for, and its output in files in that directory.
 */
import { spawn } from 'node:child_process';
import { closeSync, constants, fchownSync, fstatSync, ftruncateSync, openSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { JobSpec } from '../../common/job.ts';
import { gramError } from '../../gram/index.ts';
import { siteError } from '../errors.ts';
import type { JobAccount } from '../authz/job-account.ts';
import type { Lrms, LrmsResult, LrmsRun } from './lrms.ts';

/** Time between SIGTERM and SIGKILL when a job is stopped. */
const KILL_GRACE_MS = 2000;

function jobEnvironment(spec: JobSpec, workDir: string, run: LrmsRun): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: workDir,
    LANG: 'C.UTF-8',
    GRAM_JOB_ID: run.jobId,
    ...spec.environment,
    // Who the job runs as is the site's to say, not the job's: after the job's own variables.
    ...(run.account ? { USER: run.account.name, LOGNAME: run.account.name } : {}),
  };
}

function startFailure(error: NodeJS.ErrnoException, spec: JobSpec) {
  if (error.code === 'ENOENT') {
    return gramError(
      'GRAM_EXECUTABLE_NOT_FOUND',
      `the executable ${spec.executable} does not exist on this site`,
      { executable: spec.executable },
    );
  }
  if (error.code === 'EACCES') {
    return gramError(
      'GRAM_EXECUTABLE_NOT_FOUND',
      `the executable ${spec.executable} is not executable on this site (permission denied)`,
      { executable: spec.executable },
    );
  }
  return gramError('GRAM_JOB_EXECUTION_FAILED', `the site could not start ${spec.executable}: ${error.code ?? error.message}`);
}

/**
 * Opens the job's stdin for a job that runs as another account. The agent (root) opens it, so it
 * must not hand the job a file the account could not read itself: only a regular file inside the
 * working directory (after every symlink is resolved, the last one not followed), owned by the
 * account or readable by everyone.
 */
function openStdinAs(stdin: string, workDir: string, account: JobAccount): number {
  const refuse = () =>
    gramError('GRAM_JOB_EXECUTION_FAILED', `the job's stdin ${stdin} is not a file in its working directory that account ${account.name} may read`, { stdin });
  let fd: number;
  try {
    const path = realpathSync(join(workDir, stdin));
    const inside = relative(realpathSync(workDir), path);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) throw refuse();
    // O_NONBLOCK: a FIFO planted there must not block the agent's event loop.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    throw refuse();
  }
  const info = fstatSync(fd);
  if (!info.isFile() || !(info.uid === account.uid || (info.mode & 0o004) !== 0)) {
    closeSync(fd);
    throw refuse();
  }
  return fd;
}

const OPEN_OUTPUT = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Opens one of the job's output files (made by run-job.ts, still empty) for the program to write
 * to. The directory may be the account's, so the name is opened without following a link or
 * blocking on a FIFO, and used only when it is a regular file with no other name (a hard link
 * to someone else's file is refused) that is the agent's or the account's; it is emptied and
 * given to the account through the descriptor.
 */
function openOutput(path: string, account: JobAccount | undefined): number {
  const fd = openSync(path, OPEN_OUTPUT, 0o600);
  try {
    const info = fstatSync(fd);
    const ownerOk = info.uid === process.getuid?.() || (account !== undefined && info.uid === account.uid);
    if (!info.isFile() || info.nlink !== 1 || !ownerOk) {
      throw gramError('GRAM_JOB_EXECUTION_FAILED', `the job's output file ${path} is not a regular file of the job's own`);
    }
    ftruncateSync(fd, 0);
    if (account) {
      try {
        // The job's output is the account's own, as if it had made the files.
        fchownSync(fd, account.uid, account.gid);
      } catch (error) {
        throw siteError('SITE_ACCOUNT_SETUP_FAILED', `the job's output file ${path} could not be given to account ${account.name}: ${String(error)}`);
      }
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

export function createForkLrms(): Lrms {
  return {
    type: 'fork',
    run(spec, workDir, run: LrmsRun): Promise<LrmsResult> {
      const stdoutPath = join(workDir, 'stdout');
      const stderrPath = join(workDir, 'stderr');
      const account = run.account?.switchUser ? run.account : undefined;
      const opened: number[] = [];
      let input: number | 'ignore';
      let out: number;
      let err: number;
      try {
        input = spec.stdin === undefined ? 'ignore' : account ? openStdinAs(spec.stdin, workDir, account) : openSync(join(workDir, spec.stdin), 'r');
        if (typeof input === 'number') opened.push(input);
        out = openOutput(stdoutPath, account);
        opened.push(out);
        err = openOutput(stderrPath, account);
        opened.push(err);
      } catch (error) {
        for (const fd of opened) closeSync(fd);
        throw error;
      }
      return new Promise((resolve, reject) => {
        const child = spawn(spec.executable, [...spec.arguments], {
          cwd: spec.directory ?? workDir,
          env: jobEnvironment(spec, workDir, run),
          stdio: [input, out, err],
          detached: true, // its own process group, killed as a whole
          shell: false,
          // libuv sets the gid, clears the supplementary groups (setgroups(0)), then sets the uid.
          ...(account ? { uid: account.uid, gid: account.gid } : {}),
        });
        let filesOpen = true;
        const closeFiles = () => {
          if (!filesOpen) return;
          filesOpen = false;
          for (const fd of [out, err, input]) if (typeof fd === 'number') closeSync(fd);
        };
        let killTimer: NodeJS.Timeout | undefined;
        const stop = () => {
          if (child.pid === undefined) return;
          try {
            process.kill(-child.pid, 'SIGTERM');
          } catch {
            return; // already gone
          }
          killTimer = setTimeout(() => {
            try {
              if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
            } catch {
              // already gone
            }
          }, KILL_GRACE_MS);
        };
        run.signal.addEventListener('abort', stop, { once: true });
        child.once('spawn', () => run.onStarted(child.pid)); // detached: its pid is its group id
        child.once('error', (error) => {
          run.signal.removeEventListener('abort', stop);
          closeFiles();
          reject(startFailure(error, spec));
        });
        child.once('exit', (exitCode, killedBy) => {
          run.signal.removeEventListener('abort', stop);
          if (killTimer) clearTimeout(killTimer);
          closeFiles();
          resolve({ exitCode, killedBy, stdoutPath, stderrPath });
        });
      });
    },
  };
}
