/**
 * A JobStore holding one job in memory, for unit tests of what moves a job between states
 * (placeJob, runJob): transitions append to its history as the Redis store does, and an ended job
 * moves no more. The Redis store itself is tested in test/integration/.
 */
import type { JobRecord, JobSpec, GramState } from '../../services/common/job.ts';
import type { JobStore, JobTransition } from '../../services/common/job-store.ts';

export interface OneJobStore {
  readonly store: JobStore;
  /** The job as it is now. */
  job(): JobRecord;
  /** Sets the job's state by hand (e.g. handed out again after its agent died). */
  setState(state: GramState): void;
}

export function oneJobStore(spec: Partial<JobSpec>, state: GramState, id = 'job-1'): OneJobStore {
  let job: JobRecord = {
    id,
    owner: '/O=Grid/CN=Tester',
    spec: { executable: '/bin/true', arguments: [], environment: {}, count: 1, ...spec },
    state,
    submittedAt: new Date().toISOString(),
    history: [],
  };
  const store: JobStore = {
    create: async () => undefined,
    get: async () => job,
    async transition(_id, change: JobTransition) {
      if (job.state === 'Done' || job.state === 'Failed') return false;
      job = {
        ...job,
        ...change.fields,
        state: change.state,
        history: [...job.history, { state: change.state, at: new Date().toISOString(), by: change.by, reason: change.reason }],
      };
      return true;
    },
    announceCancel: async () => undefined,
  };
  return { store, job: () => job, setState: (next) => void (job = { ...job, state: next }) };
}
