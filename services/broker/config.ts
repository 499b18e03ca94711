/** The broker's knobs. */
import type { KnobTable } from '../common/config.ts';

export const BROKER_KNOBS = {
  concurrency: {
    env: 'WEFT_BROKER_CONCURRENCY',
    type: 'int',
    default: 8,
    min: 1,
    max: 256,
    description: 'Jobs one broker process places at the same time.',
  },
  retryDelayMs: {
    env: 'WEFT_BROKER_RETRY_DELAY_MS',
    type: 'int',
    default: 1000,
    min: 50,
    max: 600_000,
    description: 'How long a job that no site can take now waits before the broker looks again.',
  },
  // Execution phase: monitoring, resubmission, quarantine, accounting.
  maxAttempts: {
    env: 'WEFT_BROKER_MAX_ATTEMPTS',
    type: 'int',
    default: 3,
    min: 1,
    max: 100,
    description: 'Placements a job may have in all: after losing its site this often it fails.',
  },
  monitorIntervalMs: {
    env: 'WEFT_BROKER_MONITOR_INTERVAL_MS',
    type: 'int',
    default: 2000,
    min: 50,
    max: 600_000,
    description: 'How often the broker looks for placed jobs whose site or agent is gone.',
  },
  quarantineFailures: {
    env: 'WEFT_BROKER_QUARANTINE_FAILURES',
    type: 'int',
    default: 3,
    min: 1,
    max: 10_000,
    description: 'Jobs failing at start on one site within the window that quarantine the site.',
  },
  quarantineWindowSeconds: {
    env: 'WEFT_BROKER_QUARANTINE_WINDOW',
    type: 'int',
    default: 300,
    min: 1,
    max: 86_400,
    description: 'Seconds within which start failures are counted towards a quarantine.',
  },
  quarantineSeconds: {
    env: 'WEFT_BROKER_QUARANTINE_SECONDS',
    type: 'int',
    default: 600,
    min: 1,
    max: 604_800,
    description: 'How long a quarantined site gets no new jobs.',
  },
  usageMaxRecords: {
    env: 'WEFT_BROKER_USAGE_MAX_RECORDS',
    type: 'int',
    default: 100_000,
    min: 100,
    max: 100_000_000,
    description: 'Usage records kept in the weft:usage stream (approximately; totals are kept apart).',
  },
  siteListMaxAgeMs: {
    env: 'WEFT_BROKER_SITE_LIST_MAX_AGE_MS',
    type: 'int',
    default: 250,
    min: 0,
    max: 10_000,
    description: 'How long one reading of the live sites serves placements (0: read for every job).',
  },
} as const satisfies KnobTable;
