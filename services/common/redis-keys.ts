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
/** Slots held on a site: hash of job id → slot count, so reserving twice is harmless. */
export const siteReservationsKey = (site: string) => `weft:site:{${site}}:reservations`;
