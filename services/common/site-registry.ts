/**
 * Sites publish themselves into Redis as soft state: a hash that expires unless refreshed.
 * Brokers read the live ones and reserve slots on them atomically, so several brokers running at
 * once never over-commit a site. (The LDAP index of a later issue reads the same records.)
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis.ts';
import { SITES_SET, siteAdmitsKey, siteKey, siteQuarantineKey, siteReservationsKey } from './redis-keys.ts';

/**
 * What a site says about itself beyond slots (the information model of DESIGN.md), the same in a
 * published record and in a registration document; each is optional so that older agents'
 * records stay valid.
 */
export interface SiteDescription {
  /** Memory per slot (MB). */
  readonly memoryMB?: number;
  /** Operating system family, e.g. `linux`. */
  readonly opSys?: string;
  /** Architecture, e.g. `x86_64`. */
  readonly arch?: string;
  /** Software tags (runtime environments) the site offers. */
  readonly tags?: readonly string[];
  /** Longest wall time a job may ask for, in minutes. */
  readonly maxWallTimeMinutes?: number;
  /** Price per CPU-hour, in the grid's accounting unit. */
  readonly pricePerCpuHour?: number;
  /** Virtual organisations allowed to run here. */
  readonly vos?: readonly string[];
  /** The site's policy expression (Condor-style: the site is `my`, the job `other`). */
  readonly policy?: string;
}

export interface SiteRecord extends SiteDescription {
  readonly name: string;
  /** Where the site's agent runs, for people reading status output. */
  readonly contact: string;
  /** Local resource manager: `fork` or `slurm`. */
  readonly lrms: string;
  readonly totalSlots: number;
  /** ISO time of the last refresh. */
  readonly updatedAt: string;
  readonly ttlSeconds: number;
  /** Jobs the site is running right now. */
  readonly runningJobs?: number;
  /** Jobs placed on the site that have not started yet. */
  readonly waitingJobs?: number;
  /**
   * The owners the site's grid-mapfile admits, as digests (the map itself stays at the site);
   * absent: the site admits every owner (no map, or an agent older than maps).
   */
  readonly admits?: AdmittedOwners;
}

/**
 * Who a site admits: the unsalted SHA-256 digest of each admitted DN, normalised as the GSI's
 * `globusDnKey` does, and a version that changes whenever the set does. The DNs are not listed
 * in clear, but anyone who guesses a DN can confirm that the site admits it; the local account
 * names the map gives them are not published at all.
 */
export interface AdmittedOwners {
  readonly version: string;
  readonly digests: ReadonlySet<string>;
}

/** The digest a site publishes for an admitted DN; `normalisedDn` is `globusDnKey(dn)`. */
export function ownerDigest(normalisedDn: string): string {
  return createHash('sha256').update(normalisedDn, 'utf8').digest('hex');
}

/** What a site publishes for the DNs (normalised with `globusDnKey`) its grid-mapfile lists. */
export function admittedOwners(normalisedDns: Iterable<string>): AdmittedOwners {
  const digests = new Set<string>();
  for (const dn of normalisedDns) digests.add(ownerDigest(dn));
  const version = createHash('sha256').update([...digests].sort().join('\n')).digest('hex').slice(0, 32);
  return Object.freeze({ version, digests });
}

/** The record field naming the version of the site's admitted-owners set. */
const ADMITS_VERSION_FIELD = 'admitsVersion';
const ADMITS_VERSION_MEMBER = 'v:';
/** Members per SADD, so that a large map never makes one huge command. */
const ADMITS_CHUNK = 10_000;

/** A live site with the slots brokers have reserved on it right now. */
export interface SiteLoad extends SiteRecord {
  readonly reservedSlots: number;
  /** ISO time a broker quarantine ends, while the site is quarantined (its jobs kept failing at start). */
  readonly quarantinedUntil?: string;
}

export interface SiteRegistry {
  /** Publishes (or refreshes) a site; it disappears `ttlSeconds` after the last call. */
  publish(record: SiteRecord): Promise<void>;
  /** Every site whose record has not expired, with its current reservations. */
  listLive(): Promise<SiteLoad[]>;
  /** Reserves `slots` on `site` for `jobId`. False when the site is gone or too full. */
  reserve(site: string, jobId: string, slots: number): Promise<boolean>;
  /** Gives a job's slots back; harmless when none were held. */
  release(site: string, jobId: string): Promise<void>;
}

/*
 * KEYS[1] site hash, KEYS[2] reservations hash; ARGV[1] job id, ARGV[2] slots.
 * Returns 1 reserved (or already held), 0 full, -1 site gone.
 */
const RESERVE_SCRIPT = `
local total = redis.call('HGET', KEYS[1], 'totalSlots')
if not total then return -1 end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 1 end
local used = 0
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do used = used + tonumber(v) end
if used + tonumber(ARGV[2]) > tonumber(total) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`;

function sumValues(values: string[]): number {
  return values.reduce((sum, value) => sum + Number(value), 0);
}

/** Optional fields as hash fields: numbers as decimal text, lists comma-joined. */
function optionalFields(record: SiteRecord): Record<string, string> {
  const fields: Record<string, string> = {};
  const put = (name: string, value: string | number | readonly string[] | undefined) => {
    if (value === undefined) return;
    fields[name] = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : value.join(',');
  };
  put('memoryMB', record.memoryMB);
  put('opSys', record.opSys);
  put('arch', record.arch);
  put('tags', record.tags);
  put('maxWallTimeMinutes', record.maxWallTimeMinutes);
  put('pricePerCpuHour', record.pricePerCpuHour);
  put('vos', record.vos);
  put('policy', record.policy);
  put('runningJobs', record.runningJobs);
  put('waitingJobs', record.waitingJobs);
  return fields;
}

/** Every optional field, so that a publish without one removes a value an older publish left. */
const OPTIONAL_FIELDS = [
  'memoryMB', 'opSys', 'arch', 'tags', 'maxWallTimeMinutes', 'pricePerCpuHour', 'vos', 'policy',
  'runningJobs', 'waitingJobs',
] as const;

function numberField(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

function listField(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return raw.split(',').map((item) => item.trim()).filter(Boolean);
}

/**
 * Reads a site hash as stored by `publish`; undefined when the record is gone (expired) or not a
 * site record. Exported for readers with their own Redis access (the LDAP index).
 */
export function siteRecordFromHash(
  name: string,
  fields: Readonly<Record<string, string>> | undefined,
): SiteRecord | undefined {
  if (!fields || fields.totalSlots === undefined) return undefined;
  const record: { -readonly [K in keyof SiteRecord]: SiteRecord[K] } = {
    name,
    contact: fields.contact ?? '',
    lrms: fields.lrms ?? '',
    totalSlots: Number(fields.totalSlots),
    updatedAt: fields.updatedAt ?? '',
    ttlSeconds: Number(fields.ttlSeconds),
  };
  const optional = {
    memoryMB: numberField(fields.memoryMB),
    opSys: fields.opSys,
    arch: fields.arch,
    tags: listField(fields.tags),
    maxWallTimeMinutes: numberField(fields.maxWallTimeMinutes),
    pricePerCpuHour: numberField(fields.pricePerCpuHour),
    vos: listField(fields.vos),
    policy: fields.policy,
    runningJobs: numberField(fields.runningJobs),
    waitingJobs: numberField(fields.waitingJobs),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (record as Record<string, unknown>)[key] = value;
  }
  return record;
}

type Transaction = ReturnType<RedisClient['multi']>;

/** Queues the writing of a site's whole admitted-owners set, replacing any older one. */
function writeAdmits(transaction: Transaction, site: string, admits: AdmittedOwners, ttlSeconds: number): void {
  const key = siteAdmitsKey(site);
  transaction.del(key).sadd(key, ADMITS_VERSION_MEMBER + admits.version);
  const digests = [...admits.digests];
  for (let i = 0; i < digests.length; i += ADMITS_CHUNK) transaction.sadd(key, ...digests.slice(i, i + ADMITS_CHUNK));
  transaction.expire(key, ttlSeconds);
}

/** Reads an admitted-owners set as writeAdmits stored it; undefined without its version member. */
function admitsFromMembers(members: readonly string[] | undefined): AdmittedOwners | undefined {
  let version: string | undefined;
  const digests = new Set<string>();
  for (const member of members ?? []) {
    if (member.startsWith(ADMITS_VERSION_MEMBER)) version = member.slice(ADMITS_VERSION_MEMBER.length);
    else digests.add(member);
  }
  return version === undefined ? undefined : Object.freeze({ version, digests });
}

export function createRedisSiteRegistry(redis: RedisClient): SiteRegistry {
  // Publishing: the admitted-owners version this registry last wrote for each site, so that a
  // refresh rewrites the set only when the map changed (and otherwise just renews its TTL).
  const admitsWritten = new Map<string, string>();
  // Reading: the sets read so far, by site, re-read only when a site's version changes — the
  // broker lists every site several times a second, and maps change rarely.
  const admitsRead = new Map<string, AdmittedOwners>();

  /** Adds each site's admitted owners to the listing, reading only the sets that changed. */
  async function withAdmits(live: SiteLoad[], versions: ReadonlyMap<string, string>): Promise<SiteLoad[]> {
    for (const name of admitsRead.keys()) if (!versions.has(name)) admitsRead.delete(name);
    const stale = [...versions].filter(([name, version]) => admitsRead.get(name)?.version !== version).map(([name]) => name);
    if (stale.length > 0) {
      const pipeline = redis.pipeline();
      for (const name of stale) pipeline.smembers(siteAdmitsKey(name));
      const replies = (await pipeline.exec()) ?? [];
      stale.forEach((name, index) => {
        const admits = admitsFromMembers(replies[index]?.[1] as string[] | undefined);
        if (admits) admitsRead.set(name, admits);
      });
    }
    // A site whose set could not be read yet is left without one (it admits all as far as this
    // listing goes); the site itself still refuses an owner its map does not list.
    return live.map((load) => {
      const admits = versions.has(load.name) ? admitsRead.get(load.name) : undefined;
      return admits ? { ...load, admits } : load;
    });
  }

  return {
    async publish(record) {
      const optional = optionalFields(record);
      const absent = OPTIONAL_FIELDS.filter((field) => optional[field] === undefined);
      const transaction = redis.multi();
      if (absent.length > 0) transaction.hdel(siteKey(record.name), ...absent);
      transaction
        .hset(siteKey(record.name), {
          ...optional,
          name: record.name,
          contact: record.contact,
          lrms: record.lrms,
          totalSlots: String(record.totalSlots),
          updatedAt: record.updatedAt,
          ttlSeconds: String(record.ttlSeconds),
          ...(record.admits ? { [ADMITS_VERSION_FIELD]: record.admits.version } : {}),
        })
        .expire(siteKey(record.name), record.ttlSeconds)
        .sadd(SITES_SET, record.name);
      const { admits } = record;
      // Where the reply of the set's EXPIRE lands, when only its TTL is renewed.
      let renewedAt: number | undefined;
      if (!admits) {
        transaction.hdel(siteKey(record.name), ADMITS_VERSION_FIELD).del(siteAdmitsKey(record.name));
        admitsWritten.delete(record.name);
      } else if (admitsWritten.get(record.name) === admits.version) {
        renewedAt = (absent.length > 0 ? 1 : 0) + 3;
        transaction.expire(siteAdmitsKey(record.name), record.ttlSeconds);
      } else {
        writeAdmits(transaction, record.name, admits, record.ttlSeconds);
      }
      const replies = await transaction.exec();
      if (admits) admitsWritten.set(record.name, admits.version);
      // The set was gone (Redis restarted without it, or it expired while this agent was away):
      // write it again. Until then brokers treat the site as admitting all (the site still checks).
      if (admits && renewedAt !== undefined && replies?.[renewedAt]?.[1] === 0) {
        const again = redis.multi();
        writeAdmits(again, record.name, admits, record.ttlSeconds);
        await again.exec();
      }
    },

    async listLive() {
      const names = await redis.smembers(SITES_SET);
      if (names.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const name of names) {
        pipeline.hgetall(siteKey(name));
        pipeline.hvals(siteReservationsKey(name));
        pipeline.get(siteQuarantineKey(name));
      }
      const replies = (await pipeline.exec()) ?? [];
      const live: SiteLoad[] = [];
      const versions = new Map<string, string>();
      names.forEach((name, index) => {
        const fields = replies[index * 3]?.[1] as Record<string, string> | undefined;
        const reserved = (replies[index * 3 + 1]?.[1] as string[] | undefined) ?? [];
        const quarantinedUntil = replies[index * 3 + 2]?.[1] as string | null | undefined;
        const record = siteRecordFromHash(name, fields);
        if (!record) return; // expired: soft state ran out
        const version = fields?.[ADMITS_VERSION_FIELD];
        if (version !== undefined) versions.set(name, version);
        live.push({ ...record, reservedSlots: sumValues(reserved), ...(quarantinedUntil ? { quarantinedUntil } : {}) });
      });
      if (versions.size === 0 && admitsRead.size === 0) return live; // no site has a map: the common case
      return withAdmits(live, versions);
    },

    async reserve(site, jobId, slots) {
      const result = await redis.eval(
        RESERVE_SCRIPT,
        2,
        siteKey(site),
        siteReservationsKey(site),
        jobId,
        String(slots),
      );
      return result === 1;
    },

    async release(site, jobId) {
      await redis.hdel(siteReservationsKey(site), jobId);
    },
  };
}
