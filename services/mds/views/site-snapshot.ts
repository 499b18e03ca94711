/**
 * What the views render for one site: its published record and the load brokers hold on it,
 * with the figures both trees publish derived in one place.
 */
import type { SiteRecord } from '../../common/site-registry.ts';

export interface SiteSnapshot {
  readonly record: SiteRecord;
  /** Slots brokers have reserved on the site (jobs placed there, queued or running). */
  readonly reservedSlots: number;
  /** How many jobs hold those slots. */
  readonly reservedJobs: number;
}

export interface SiteFigures {
  readonly freeCpus: number;
  readonly runningJobs: number;
  readonly waitingJobs: number;
  readonly totalJobs: number;
  readonly validFrom: Date;
  readonly validTo: Date;
}

/**
 * Free CPUs are the slots no broker holds (what a broker would see); running jobs are what the
 * agent says it runs; waiting jobs are what it says, or else the placed jobs not yet running.
 */
export function siteFigures(snapshot: SiteSnapshot): SiteFigures {
  const { record } = snapshot;
  const freeCpus = Math.max(0, record.totalSlots - snapshot.reservedSlots);
  const runningJobs = record.runningJobs ?? 0;
  const waitingJobs = record.waitingJobs ?? Math.max(0, snapshot.reservedJobs - runningJobs);
  const parsed = Date.parse(record.updatedAt);
  const validFrom = new Date(Number.isNaN(parsed) ? 0 : parsed);
  const validTo = new Date(validFrom.getTime() + Math.max(0, record.ttlSeconds) * 1000);
  return { freeCpus, runningJobs, waitingJobs, totalJobs: runningJobs + waitingJobs, validFrom, validTo };
}
