/** What the GRAM operations need from the outside world. */
import type { Queue } from 'bullmq';
import type { JobStore } from '../common/job-store.ts';

export interface GramDeps {
  readonly jobs: JobStore;
  /** The broker's queue: a submitted job is added here under its own id. */
  readonly brokerQueue: Queue;
}
