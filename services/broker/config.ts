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
} as const satisfies KnobTable;
