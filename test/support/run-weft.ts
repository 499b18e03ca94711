/** Runs `bin/weft` as a child process (an argument vector, never a shell), async so tests can overlap. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const WEFT = join(resolve(import.meta.dirname, '..', '..'), 'bin', 'weft');

export interface WeftRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runWeft(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  timeoutMs = 30_000,
): Promise<WeftRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [WEFT, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (status) => resolveRun({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
