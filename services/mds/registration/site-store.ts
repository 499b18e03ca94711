/**
 * Where registrations live: the same soft-state site hashes in Redis that site agents publish,
 * the index (LDAP) follows and brokers match against (services/common/site-registry.ts). Reads
 * go through the index's own Redis site source, so the IndexService sees exactly what LDAP does.
 */
import type { Logger } from '../../common/logger.ts';
import type { RedisClient } from '../../common/redis.ts';
import { SITES_SET, siteKey } from '../../common/redis-keys.ts';
import { createRedisSiteRegistry, type SiteRecord } from '../../common/site-registry.ts';
import { createRedisSiteSource } from '../sync/redis-site-source.ts';
import type { FetchedSite } from '../sync/site-source.ts';

export interface RegistrationStore {
  /** A live site, or undefined when it expired or never was. */
  get(name: string): Promise<FetchedSite | undefined>;
  /** Every live site. */
  list(): Promise<FetchedSite[]>;
  /** Writes (or replaces) a site record with its TTL. */
  publish(record: SiteRecord): Promise<void>;
  /** Deletes a site record; false when there was none. Reservations stay for their jobs to release. */
  remove(name: string): Promise<boolean>;
}

export function createRedisRegistrationStore(redis: RedisClient, logger: Logger): RegistrationStore {
  const source = createRedisSiteSource(redis, logger);
  const registry = createRedisSiteRegistry(redis);
  return {
    async get(name) {
      return (await source.fetch([name])).get(name);
    },
    async list() {
      const fetched = await source.fetch(await source.names());
      return [...fetched.values()].filter((site): site is FetchedSite => site !== undefined);
    },
    publish: (record) => registry.publish(record),
    async remove(name) {
      const [deleted] = (await redis.multi().del(siteKey(name)).srem(SITES_SET, name).exec()) ?? [];
      return Number(deleted?.[1] ?? 0) > 0;
    },
  };
}
