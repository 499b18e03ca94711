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
    description: 'Local resource manager: fork (local processes) or slurm (sbatch; Slurm clients find the cluster by SLURM_CONF).',
  },
  slurmPartition: {
    env: 'WEFT_SLURM_PARTITION',
    type: 'string',
    default: '',
    description: "Slurm partition for jobs that name no queue; empty means Slurm's default partition.",
  },
  slurmPollMs: {
    env: 'WEFT_SLURM_POLL_MS',
    type: 'int',
    default: 1000,
    min: 100,
    max: 600_000,
    description: "Milliseconds between the agent's squeue polls of its Slurm jobs.",
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
  // BullMQ stall detection: an agent that stops renewing a job's lock for lockDurationMs loses
  // the job; a live agent's worker checks for such jobs every stalledIntervalMs. Tests shorten them.
  lockDurationMs: {
    env: 'WEFT_SITE_LOCK_DURATION_MS',
    type: 'int',
    default: 30_000,
    min: 100,
    max: 3_600_000,
    description: "How long the agent's hold on a running job lasts without renewal before BullMQ sees it stall.",
  },
  stalledIntervalMs: {
    env: 'WEFT_SITE_STALLED_INTERVAL_MS',
    type: 'int',
    default: 30_000,
    min: 100,
    max: 3_600_000,
    description: 'How often the agent checks its queue for stalled jobs.',
  },
  // What the site publishes about itself (DESIGN.md, Information model); read by the index and
  // the broker.
  memoryMB: {
    env: 'WEFT_SITE_MEMORY_MB',
    type: 'int',
    default: 0,
    min: 0,
    max: 1_073_741_824,
    description: "Memory one job may use (MB); 0 means the host's memory divided by the slots.",
  },
  opSys: {
    env: 'WEFT_SITE_OS',
    type: 'string',
    default: '',
    description: "Operating system family published (e.g. linux); empty means this host's.",
  },
  arch: {
    env: 'WEFT_SITE_ARCH',
    type: 'string',
    default: '',
    description: "Architecture published (e.g. x86_64); empty means this host's.",
  },
  tags: {
    env: 'WEFT_SITE_TAGS',
    type: 'string',
    default: '',
    description: 'Software tags (runtime environments) offered, comma-separated, e.g. blast,python3.',
  },
  maxWallTimeMinutes: {
    env: 'WEFT_SITE_MAX_WALL_TIME',
    type: 'int',
    default: 0,
    min: 0,
    max: 525_600,
    description: 'Longest wall time a job may ask for, in minutes; 0 means no limit is published.',
  },
  pricePerCpuHour: {
    env: 'WEFT_SITE_PRICE',
    type: 'string',
    default: '0',
    description: 'Price per CPU-hour, a non-negative decimal number (e.g. 0.05).',
  },
  vos: {
    env: 'WEFT_SITE_VOS',
    type: 'string',
    default: '',
    description: 'Virtual organisations allowed to run here, comma-separated; empty means any.',
  },
  gridMapfile: {
    env: 'WEFT_SITE_GRID_MAPFILE',
    type: 'string',
    default: '',
    description: "The site's grid-mapfile (DN → local account); empty: every owner runs as the agent's user.",
  },
  policy: {
    env: 'WEFT_SITE_POLICY',
    type: 'string',
    default: '',
    description: 'The site policy expression: the site is my, the job other, e.g. other.Count <= 4.',
  },
} as const satisfies KnobTable;
