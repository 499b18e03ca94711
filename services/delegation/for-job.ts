/**
 * What GRAM asks when a job names a delegated credential: is the EPR the caller's own, completed
 * and alive? A proxy that would end before maxWallTime could is not refused here: the broker
 * holds the job, saying why, until the delegation is refreshed or renewed (lifetime.ts).
 */
import { globusDnEquals } from '../gsi/index.ts';
import { delegationError } from './errors.ts';
import { delegationIdOf } from './reference.ts';
import type { DelegationStore } from './store.ts';

export async function delegationForJob(store: DelegationStore, epr: unknown, identity: string, now: Date = new Date()): Promise<string> {
  const id = delegationIdOf(epr);
  const record = await store.get(id);
  if (!record) throw delegationError('DELEGATION_NOT_FOUND', `there is no delegation ${id} (destroyed or expired)`, { id });
  if (!globusDnEquals(record.owner, identity)) {
    throw delegationError('DELEGATION_NOT_OWNER', `the delegation ${id} belongs to another identity, and a job may only use its owner's`, { id });
  }
  if (!record.current) throw delegationError('DELEGATION_NOT_READY', `the delegation ${id} was requested but never completed`, { id });
  if (new Date(record.current.notAfter) <= now) {
    throw delegationError('DELEGATION_NOT_FOUND', `the delegated proxy of ${id} expired at ${record.current.notAfter}`, { id });
  }
  return id;
}
