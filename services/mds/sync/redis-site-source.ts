/**
 * Sites as Redis holds them (services/common/site-registry.ts), and their changes as keyspace
 * notifications: every publish expires-and-sets the site hash (`expire`, `hset` events), a
 * broker's reservation writes the reservations hash (`hset`, `hdel`), and Redis announces
 * `expired` when a site's TTL runs out. The grid's redis-server runs with
 * `--notify-keyspace-events Khgx`; without notifications the index still catches up at each
 * periodic resync.
 */
import type { Logger } from '../../common/logger.ts';
import type { RedisClient } from '../../common/redis.ts';
import { SITES_SET, siteKey, siteQuarantineKey, siteReservationsKey } from '../../common/redis-keys.ts';
import { siteRecordFromHash } from '../../common/site-registry.ts';
import type { FetchedSite, SiteSource } from './site-source.ts';

/** `weft:site:{name}` or `weft:site:{name}:reservations` → name. */
const SITE_KEY = /^weft:site:\{(.*)\}(?::reservations)?$/s;

/** The keyspace-event classes the index relies on: K (keyspace), g, x, h (or A for all). */
export function notificationsCover(flags: string): boolean {
  const has = (c: string) => flags.includes(c) || (c !== 'K' && flags.includes('A'));
  return has('K') && has('g') && has('x') && has('h');
}

export function createRedisSiteSource(redis: RedisClient, logger: Logger): SiteSource {
  const log = logger.child({ service: 'mds', op: 'sync' });
  return {
    async names() {
      return redis.smembers(SITES_SET);
    },

    async fetch(names) {
      const result = new Map<string, FetchedSite | undefined>();
      if (names.length === 0) return result;
      const pipeline = redis.pipeline();
      for (const name of names) {
        pipeline.hgetall(siteKey(name));
        pipeline.hvals(siteReservationsKey(name));
        pipeline.pttl(siteKey(name));
        pipeline.get(siteQuarantineKey(name));
      }
      const replies = (await pipeline.exec()) ?? [];
      names.forEach((name, index) => {
        const [fieldsError, fields] = replies[index * 4] ?? [];
        const reserved = (replies[index * 4 + 1]?.[1] as string[] | undefined) ?? [];
        const ttl = Number(replies[index * 4 + 2]?.[1] ?? -2);
        const quarantinedUntil = replies[index * 4 + 3]?.[1] as string | null | undefined;
        if (fieldsError) throw fieldsError;
        const record = siteRecordFromHash(name, fields as Record<string, string> | undefined);
        if (!record || ttl === -2) {
          result.set(name, undefined);
          return;
        }
        result.set(name, {
          snapshot: {
            record,
            reservedSlots: reserved.reduce((sum, value) => sum + (Number(value) || 0), 0),
            reservedJobs: reserved.length,
          },
          expiresInMs: ttl >= 0 ? ttl : Infinity,
          ...(quarantinedUntil ? { quarantinedUntil } : {}),
        });
      });
      return result;
    },

    async watch(onChange) {
      try {
        const reply = (await redis.config('GET', 'notify-keyspace-events')) as string[];
        const flags = reply[1] ?? '';
        if (!notificationsCover(flags)) {
          log.warn({ flags }, 'Redis keyspace notifications lack K, g, x or h: the index refreshes only at each resync (run redis-server with --notify-keyspace-events Khgx)');
        }
      } catch (error) {
        log.debug({ err: error }, 'could not read notify-keyspace-events (CONFIG disabled?)');
      }
      const subscriber = redis.duplicate();
      subscriber.on('error', (error) => log.warn({ err: error }, 'redis subscriber connection problem'));
      const db = redis.options.db ?? 0;
      const prefix = `__keyspace@${db}__:`;
      let readyOnce = false;
      subscriber.on('ready', () => {
        // After a reconnect, events may have been missed while we were away.
        if (readyOnce) onChange({ kind: 'all' });
        readyOnce = true;
      });
      subscriber.on('pmessage', (_pattern: string, channel: string) => {
        const match = SITE_KEY.exec(channel.slice(prefix.length));
        if (match) onChange({ kind: 'sites', names: [match[1] as string] });
      });
      await subscriber.psubscribe(`${prefix}weft:site:*`);
      readyOnce = true;
      return async () => {
        subscriber.disconnect();
      };
    },
  } satisfies SiteSource;
}
