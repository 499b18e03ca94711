/**
 * Helpers for GSI unit tests: temporary directories (removed after the test file) and running
 * the real `openssl` with an argument vector, never through a shell.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** A fresh private directory under the system temp dir, deleted when the test file ends. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `weft-gsi-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs /usr/bin/openssl and returns stdout; throws (with stderr) if it fails. */
export function openssl(args: readonly string[], input?: string): string {
  return execFileSync('/usr/bin/openssl', args, {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs openssl and returns stdout and stderr together, whatever its exit status. */
export function opensslOutput(args: readonly string[]): string {
  const result = spawnSync('/usr/bin/openssl', args, { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
}

/** Runs openssl expecting failure; returns its combined output, or throws if it succeeded. */
export function opensslFailure(args: readonly string[]): string {
  try {
    openssl(args);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}`;
  }
  throw new Error(`openssl ${args.join(' ')} succeeded but was expected to fail`);
}

/** Flips the last byte of a PEM certificate's DER: the end of its signature. */
export function tamperSignature(der: Buffer): Buffer {
  const copy = Buffer.from(der);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0xff;
  return copy;
}
