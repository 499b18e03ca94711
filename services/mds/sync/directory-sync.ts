/**
 * Keeps the in-memory directory equal to what Redis holds: every live site loaded at start,
 * then each change applied as it is announced (a site's entries re-rendered and swapped as
 * one), a full resync every few seconds as a safety net, and a local deadline per site so that
 * a site whose TTL passes is dropped even if Redis's `expired` event is lost. Any number of
 * index processes can follow one Redis this way; a restarted one catches up by itself.
 */
import type { Logger } from '../../common/logger.ts';
import type { Directory } from '../directory/directory.ts';
import { mdsError } from '../errors.ts';
import { siteEntries, type ViewOptions } from '../views/site-entries.ts';
import type { FetchedSite, SiteChange, SiteSource } from './site-source.ts';

export interface DirectorySyncOptions {
  readonly resyncMs: number;
  readonly view: ViewOptions;
  /** How often local deadlines are checked. */
  readonly sweepMs?: number;
}

export interface DirectorySync {
  /** Loads every live site and starts following changes. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Re-reads everything now (also what each periodic resync does). */
  resync(): Promise<void>;
  /** Resolves once every change announced so far has been applied. */
  settled(): Promise<void>;
}

function validate(fetched: FetchedSite): void {
  const { record } = fetched.snapshot;
  if (!Number.isSafeInteger(record.totalSlots) || record.totalSlots < 0) {
    throw mdsError('MDS_SITE_RECORD_INVALID', `site "${record.name}" publishes totalSlots ${record.totalSlots}`);
  }
  if (!Number.isFinite(record.ttlSeconds) || record.ttlSeconds < 0) {
    throw mdsError('MDS_SITE_RECORD_INVALID', `site "${record.name}" publishes ttlSeconds ${record.ttlSeconds}`);
  }
}

export function createDirectorySync(
  source: SiteSource,
  directory: Directory,
  options: DirectorySyncOptions,
  logger: Logger,
): DirectorySync {
  const log = logger.child({ service: 'mds', op: 'sync' });
  /** When each site we hold expires unless Redis says otherwise (performance.now() ms). */
  const deadlines = new Map<string, number>();
  const dirty = new Set<string>();
  let everything = false;
  let running: Promise<void> | undefined;
  let stopWatching: (() => Promise<void>) | undefined;
  let resyncTimer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  function apply(name: string, fetched: FetchedSite | undefined): void {
    if (!fetched) {
      if (deadlines.delete(name)) log.debug({ site: name }, 'site gone');
      directory.removeOwned(name);
      return;
    }
    try {
      validate(fetched);
      directory.replaceOwned(name, siteEntries(fetched.snapshot, options.view));
      deadlines.set(name, performance.now() + fetched.expiresInMs);
    } catch (error) {
      log.warn({ err: error, site: name }, 'site record not shown: it cannot be rendered');
      directory.removeOwned(name);
      deadlines.delete(name);
    }
  }

  async function loadAll(): Promise<void> {
    const names = await source.names();
    const fetched = await source.fetch(names);
    for (const [name, site] of fetched) apply(name, site);
    const live = new Set(names);
    for (const owner of directory.owners()) {
      if (owner !== '' && !live.has(owner)) apply(owner, undefined);
    }
  }

  /** Applies pending changes until none are left; one pass runs at a time. */
  function drain(): Promise<void> {
    if (running) return running;
    running = (async () => {
      try {
        while (!stopped && (everything || dirty.size > 0)) {
          if (everything) {
            everything = false;
            dirty.clear();
            await loadAll();
            continue;
          }
          const names = [...dirty];
          dirty.clear();
          const fetched = await source.fetch(names);
          for (const name of names) apply(name, fetched.get(name));
        }
      } catch (error) {
        log.warn({ err: error }, 'could not read sites from Redis; the next resync tries again');
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  function changed(change: SiteChange): void {
    if (change.kind === 'all') everything = true;
    else for (const name of change.names) dirty.add(name);
    void drain();
  }

  function sweep(): void {
    const now = performance.now();
    for (const [name, deadline] of deadlines) if (deadline <= now) dirty.add(name);
    if (dirty.size > 0) void drain();
  }

  return {
    async start() {
      stopWatching = await source.watch(changed);
      everything = true;
      await drain();
      resyncTimer = setInterval(() => changed({ kind: 'all' }), options.resyncMs);
      sweepTimer = setInterval(sweep, options.sweepMs ?? 250);
      resyncTimer.unref();
      sweepTimer.unref();
      log.info({ sites: deadlines.size, entries: directory.size }, 'index loaded from Redis');
    },
    async stop() {
      stopped = true;
      clearInterval(resyncTimer);
      clearInterval(sweepTimer);
      await stopWatching?.();
      await running;
    },
    async resync() {
      changed({ kind: 'all' });
      await drain();
    },
    async settled() {
      while (running || dirty.size > 0 || everything) await drain();
    },
  };
}
