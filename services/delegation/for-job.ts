/**
 * What GRAM asks when a job names a delegated credential: is the EPR the caller's own, completed,
 * and will its proxy outlive the job? A proxy that would end before maxWallTime could is refused
 * at submission (DELEGATION_EXPIRES_TOO_SOON) rather than left to fail mid-run.
 */
import { globusDnEquals } from '../gsi/index.ts';
import { delegationError } from './errors.ts';
import { delegationIdOf } from './reference.ts';
import type { DelegationStore } from './store.ts';

export async function delegationForJob(
  store: DelegationStore,
  epr: unknown,
  identity: string,
  maxWallTimeMinutes: number | undefined,
  now: Date = new Date(),
): Promise<string> {
  const id = delegationIdOf(epr);
  const record = await store.get(id);
  if (!record) throw delegationError('DELEGATION_NOT_FOUND', `there is no delegation ${id} (destroyed or expired)`, { id });
  if (!globusDnEquals(record.owner, identity)) {
    throw delegationError('DELEGATION_NOT_OWNER', `the delegation ${id} belongs to another identity, and a job may only use its owner's`, { id });
  }
  if (!record.current) throw delegationError('DELEGATION_NOT_READY', `the delegation ${id} was requested but never completed`, { id });
  const notAfter = new Date(record.current.notAfter);
  if (notAfter <= now) throw delegationError('DELEGATION_NOT_FOUND', `the delegated proxy of ${id} expired at ${record.current.notAfter}`, { id });
  if (maxWallTimeMinutes !== undefined && notAfter.getTime() < now.getTime() + maxWallTimeMinutes * 60_000) {
    throw delegationError(
      'DELEGATION_EXPIRES_TOO_SOON',
      `the delegated proxy ends at ${record.current.notAfter}, before the job's maxWallTime of ${maxWallTimeMinutes} minutes could`,
      { id, notAfter: record.current.notAfter },
    );
  }
  return id;
}
