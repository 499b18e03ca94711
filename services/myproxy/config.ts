/** The credential repository's knobs. */
import type { KnobTable } from '../common/config.ts';

export const MYPROXY_KNOBS = {
  maxLifetimeHours: {
    env: 'WEFT_MYPROXY_MAX_LIFETIME_HOURS',
    type: 'int',
    default: 168,
    min: 1,
    max: 8760,
    description: 'Longest time a stored credential is served, hours (myproxy-init -c is capped by it).',
  },
  maxRetrievedHours: {
    env: 'WEFT_MYPROXY_MAX_RETRIEVED_HOURS',
    type: 'int',
    default: 12,
    min: 1,
    max: 8760,
    description: 'Longest lifetime of a proxy retrieved from the repository, hours (myproxy-init -t is capped by it).',
  },
} as const satisfies KnobTable;
