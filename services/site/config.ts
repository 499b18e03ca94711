/** A site agent's knobs. */
import type { KnobTable } from '../common/config.ts';

export const SITE_KNOBS = {
  name: {
    env: 'WEFT_SITE_NAME',
    type: 'string',
    default: 'alpha',
    description: 'The site name: letters, digits, dot, dash, underscore.',
  },
  slots: {
    env: 'WEFT_SITE_SLOTS',
    type: 'int',
    default: 4,
    min: 1,
    max: 100_000,
    description: 'How many job slots (CPUs) the site offers.',
  },
  lrms: {
    env: 'WEFT_SITE_LRMS',
    type: 'string',
    default: 'fork',
    description: 'Local resource manager: fork.',
  },
  workDir: {
    env: 'WEFT_SITE_WORK_DIR',
    type: 'string',
    default: '',
    description: 'Where job working directories are made (default: $WEFT_HOME/sites/<name>/jobs).',
  },
  publishIntervalSeconds: {
    env: 'WEFT_SITE_PUBLISH_INTERVAL',
    type: 'int',
    default: 5,
    min: 1,
    max: 3600,
    description: 'Seconds between soft-state refreshes; the record lives 3 times as long.',
  },
  outputLimitBytes: {
    env: 'WEFT_SITE_OUTPUT_LIMIT',
    type: 'int',
    default: 1_048_576,
    min: 1024,
    max: 67_108_864,
    description: 'Bytes of stdout and of stderr kept with the job status (the tail when longer).',
  },
} as const satisfies KnobTable;
