/**
 * Every Redis key and queue name Weft uses, in one place. Keys that one Lua script touches
 * together share a hash tag (`{…}`) so a Redis Cluster keeps them in one slot.
 */

/** A job's fields (hash). */
export const jobKey = (jobId: string) => `weft:job:{${jobId}}`;
/** A job's state history (list of JSON entries, oldest first). */
export const jobHistoryKey = (jobId: string) => `weft:job:{${jobId}}:history`;
/** Channel on which every state change is published as `<jobId> <state>`. */
export const JOB_EVENTS_CHANNEL = 'weft:job-events';
/** Channel on which a cancelled job's id is published, for the site agent running it. */
export const JOB_CANCEL_CHANNEL = 'weft:job-cancel';

/** A site's published record (hash, with a TTL: soft state). */
export const siteKey = (site: string) => `weft:site:{${site}}`;
/** Names of every site that has ever registered; dead ones are pruned when their record is gone. */
export const SITES_SET = 'weft:sites';

/** BullMQ key prefix and queue names. */
export const QUEUE_PREFIX = 'weft';
export const BROKER_QUEUE = 'broker';
export const siteQueueName = (site: string) => `site-${site}`;
/**
 * Owners a site with a grid-mapfile admits: set of SHA-256 digests of their normalised DNs, plus
 * one `v:<version>` member naming the map it came from; expires with the site's record. No such
 * set (and no `admitsVersion` in the record): the site admits every owner.
 */
export const siteAdmitsKey = (site: string) => `weft:site:{${site}}:admits`;
/** Slots held on a site: hash of job id → slot count, so reserving twice is harmless. */
export const siteReservationsKey = (site: string) => `weft:site:{${site}}:reservations`;

// Execution phase (broker monitoring, quarantine, accounting).
/** Jobs placed on a site: hash of job id → the attempt it was placed in (the broker's monitor scans it). */
export const siteJobsKey = (site: string) => `weft:site:{${site}}:jobs`;
/** Start failures of a site's jobs: sorted set of job id scored by time (ms). */
export const siteStartFailuresKey = (site: string) => `weft:site:{${site}}:start-failures`;
/** Present (with a TTL) while a site is quarantined; the value is the ISO time it ends. */
export const siteQuarantineKey = (site: string) => `weft:site:{${site}}:quarantine`;
/** Usage records, one stream entry per ended job (bounded, approximately, by a broker knob). */
export const USAGE_STREAM = 'weft:usage';
/** Running usage totals: one hash per dimension and measure, field = user DN, VO or site. */
export const usageTotalsKey = (by: 'user' | 'vo' | 'site', measure: 'jobs' | 'wallSeconds' | 'cpuSeconds' | 'cost') =>
  `weft:usage-totals:${by}:${measure}`;
/** One owner's usage records (the same entries as USAGE_STREAM, capped alike): what they may read. */
export const ownerUsageStreamKey = (owner: string) => `weft:usage:owner:${owner}`;
/** One owner's running totals: one hash, field = `<user|vo|site>:<measure>:<name>`. */
export const ownerUsageTotalsKey = (owner: string) => `weft:usage-totals:owner:${owner}`;

// Fair share (services/broker/fair-share/); one hash tag, so one script may touch all three.
/** Each owner's recent usage, decayed: hash owner → `<CPU seconds> <at ms>`. */
export const FAIR_SHARE_USAGE = 'weft:{fair-share}:usage';
/** Jobs charged as running: hash job id → its expected CPU seconds. */
export const FAIR_SHARE_RUNNING = 'weft:{fair-share}:running';
/** The sum of each owner's running charges: hash owner → expected CPU seconds. */
export const FAIR_SHARE_CHARGES = 'weft:{fair-share}:charges';
/** Pub/sub: `<job id>` once an ended job is settled in fair share (its slots are free, its usage counted). */
export const FAIR_SHARE_SETTLED_CHANNEL = 'weft:fair-share:settled';
