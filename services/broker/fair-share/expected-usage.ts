/**
 * What a job that is running (or about to be woken) is charged in fair share before it ends:
 * the CPU seconds it may use, count × its `maxWallTime`, else count × DEFAULT_RUN_MINUTES — the
 * same run time the economic estimates assume. At its end the charge is replaced by what it
 * really used.
 */
import type { JobSpec } from '../../common/job.ts';
import { DEFAULT_RUN_MINUTES } from '../matching/economics.ts';

export function expectedCpuSeconds(spec: Pick<JobSpec, 'count' | 'maxWallTime'>): number {
  return spec.count * (spec.maxWallTime ?? DEFAULT_RUN_MINUTES) * 60;
}
