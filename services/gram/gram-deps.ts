/** What the GRAM operations need from the outside world. */
import type { Queue } from 'bullmq';
import type { JobStore } from '../common/job-store.ts';
import type { SiteRegistry } from '../common/site-registry.ts';
import type { DelegationStore } from '../delegation/index.ts';

export interface GramDeps {
  readonly jobs: JobStore;
  /** The broker's queue: a submitted job is added here under its own id. */
  readonly brokerQueue: Queue;
  /** The live sites, read by `analyze`. */
  readonly sites: SiteRegistry;
  /** Delegations, checked when a job names a delegatedCredentialEpr (absent: such jobs are refused). */
  readonly delegations?: DelegationStore;
}
