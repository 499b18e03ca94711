/**
 * A whole grid as separate processes, the way a newcomer starts it (`scripts/grid up --detach`),
 * in a temp WEFT_HOME on free ports, with helpers to run `scripts/grid` and `bin/weft` against it
 * as the dev user. For e2e tests; `stop()` runs `scripts/grid down` and removes the home.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { devUserEnv } from './dev-user-env.ts';
import { freePort } from './free-port.ts';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const DEV_CERTS = join(REPO, 'certs');

export interface DetachedGrid {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  /** `https://localhost:<container port>` */
  readonly contact: string;
  readonly mdsPort: number;
  grid(...args: string[]): SpawnSyncReturns<string>;
  weft(...args: string[]): SpawnSyncReturns<string>;
  /** The pids of the parts, as the grid script recorded them. */
  parts(): Record<string, number>;
  stop(): SpawnSyncReturns<string>;
}

/** Starts the grid; throws with the script's output when it does not come up. */
export async function startDetachedGrid(extraEnv: NodeJS.ProcessEnv = {}): Promise<DetachedGrid> {
  const home = mkdtempSync(join(tmpdir(), 'weft-e2e-'));
  const containerPort = await freePort();
  const mdsPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...devUserEnv(DEV_CERTS),
    WEFT_HOME: home,
    WEFT_REDIS_PORT: String(await freePort()),
    WEFT_CONTAINER_PORT: String(containerPort),
    WEFT_MDS_PORT: String(mdsPort),
    WEFT_CERTS_DIR: DEV_CERTS,
    ...extraEnv,
  };
  const grid = (...args: string[]) =>
    spawnSync(join(REPO, 'scripts', 'grid'), args, { env, encoding: 'utf8', timeout: 150_000 });
  const weft = (...args: string[]) =>
    spawnSync(join(REPO, 'bin', 'weft'), args, { env, encoding: 'utf8', timeout: 60_000, cwd: tmpdir() });
  const up = grid('up', '--detach');
  if (up.status !== 0) {
    grid('down');
    rmSync(home, { recursive: true, force: true });
    throw new Error(`scripts/grid up --detach failed:\n${up.stdout}\n${up.stderr}`);
  }
  return {
    home,
    env,
    contact: `https://localhost:${containerPort}`,
    mdsPort,
    grid,
    weft,
    parts: () => JSON.parse(readFileSync(join(home, 'run', 'grid.json'), 'utf8')).parts as Record<string, number>,
    stop() {
      const down = grid('down');
      rmSync(home, { recursive: true, force: true });
      return down;
    },
  };
}

/** Polls `check` every 200 ms until it holds, or fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
