/**
 * The site's grid-mapfile, kept current without a restart: read at start, and read again
 * whenever the file changes (its modification time, size or inode, looked at before each job and
 * each soft-state refresh — one `stat`, cheaper and sturdier than a file watch, which misses a
 * file replaced by `mv`). A file that becomes unreadable or invalid is reported once, loudly, and
 * the last good map stays in force: a half-edited file never turns every user away. An agent
 * that never had a good map does not start.
 */
import { stat } from 'node:fs/promises';
import { isGridError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { readGridMapfile, type GridMap } from '../../gsi/index.ts';
import { siteError } from '../errors.ts';

export interface WatchedGridMap {
  /** The map in force, re-read first when the file changed since the last look. */
  current(): Promise<GridMap>;
}

interface Stamp {
  readonly mtimeMs: number;
  readonly size: number;
  readonly ino: number;
}

const sameStamp = (a: Stamp | undefined, b: Stamp) =>
  a !== undefined && a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;

async function stampOf(path: string): Promise<Stamp> {
  const info = await stat(path);
  return { mtimeMs: info.mtimeMs, size: info.size, ino: info.ino };
}

/** Reads the map, turning a file that cannot be read into SITE_GRID_MAPFILE_UNREADABLE. */
async function readMap(path: string): Promise<GridMap> {
  try {
    return await readGridMapfile(path);
  } catch (error) {
    if (isGridError(error)) throw error; // GSI_GRID_MAPFILE_SYNTAX names the bad lines
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw siteError('SITE_GRID_MAPFILE_UNREADABLE', `the grid-mapfile ${path} could not be read (${why})`, { path });
  }
}

/** Loads the map at `path`; throws (so the agent refuses to start) when it cannot be read. */
export async function watchGridMapfile(path: string, logger: Logger): Promise<WatchedGridMap> {
  let stamp = await stampOf(path).catch(() => undefined);
  let map = await readMap(path);
  logger.info({ path, entries: map.byKey.size }, 'grid-mapfile loaded');
  /** The stamp of a file that failed to load, so that one bad edit is reported once. */
  let badStamp: Stamp | undefined;
  let looking: Promise<GridMap> | undefined;

  async function look(): Promise<GridMap> {
    let now: Stamp;
    try {
      now = await stampOf(path);
    } catch (error) {
      if (badStamp === undefined || badStamp.ino !== -1) {
        logger.error({ path, err: error }, `the grid-mapfile ${path} is gone or unreadable; the last good map (${map.byKey.size} DNs) stays in force`);
        badStamp = { mtimeMs: -1, size: -1, ino: -1 };
      }
      return map;
    }
    if (sameStamp(stamp, now) || sameStamp(badStamp, now)) return map;
    try {
      map = await readMap(path);
      stamp = now;
      badStamp = undefined;
      logger.info({ path, entries: map.byKey.size }, 'grid-mapfile changed: reloaded');
    } catch (error) {
      badStamp = now;
      const message = error instanceof Error ? error.message : String(error);
      logger.error({ path, code: isGridError(error) ? error.code : undefined }, `${message}; the last good map (${map.byKey.size} DNs) stays in force`);
    }
    return map;
  }

  return {
    current() {
      // Jobs starting together share one look at the file.
      looking ??= look().finally(() => {
        looking = undefined;
      });
      return looking;
    },
  };
}
