/**
 * getStatus and the delegated credential: a running job's status carries the warning read from its
 * delegation; a finished job's status never touches the delegation store, so it answers even when
 * that store cannot (and costs no read per status call).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallContext } from '../../../services/common/call-context.ts';
import type { JobRecord } from '../../../services/common/job.ts';
import type { JobStore } from '../../../services/common/job-store.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import type { DelegationStore } from '../../../services/delegation/index.ts';
import type { GramDeps } from '../../../services/gram/gram-deps.ts';
import { getStatus } from '../../../services/gram/operations/get-status.ts';

const OWNER = '/O=Grid/OU=Weft/CN=Dev User';
const context: CallContext = { identity: OWNER, logger: silentLogger(), requestId: 'status', baseUrl: 'https://localhost:8443' };

function job(state: JobRecord['state']): JobRecord {
  return {
    id: '0b0e4a52-5a44-4f5d-9a38-7c1b2d9c8e11',
    owner: OWNER,
    spec: { executable: '/bin/true', arguments: [], environment: {}, count: 1, delegationId: 'd-1' },
    state,
    submittedAt: '2026-01-01T00:00:00.000Z',
    history: [{ state, at: '2026-01-01T00:00:01.000Z', by: 'site:alpha' }],
  };
}

/** Delegations that are gone (or, `down`, a store that cannot answer); `reads` counts the reads. */
function goneDelegations(down = false): DelegationStore & { reads: number } {
  const store = {
    reads: 0,
    get: async () => {
      store.reads += 1;
      if (down) throw new Error('the delegation store cannot be reached');
      return undefined;
    },
    put: async () => undefined,
    replaceCurrent: async () => false,
    delete: async () => false,
  };
  return store;
}

function statusOf(record: JobRecord, delegations: DelegationStore) {
  const jobs: JobStore = { get: async () => record, create: async () => undefined, transition: async () => false, announceCancel: async () => undefined };
  const deps = { jobs, delegations } as Partial<GramDeps> as GramDeps;
  return getStatus(deps)({ jobKey: record.id }, context);
}

describe('getStatus: the delegated credential warning', () => {
  it('a running job whose delegation is gone says so', async () => {
    const delegations = goneDelegations();
    const status = await statusOf(job('Active'), delegations);
    assert.match(status.credentialWarning ?? '', /^the delegated proxy is gone/);
    assert.equal(delegations.reads, 1);
  });

  it('a finished job has no warning and its delegation is not read (its status answers with the store down)', async () => {
    for (const state of ['Done', 'Failed'] as const) {
      const delegations = goneDelegations(true);
      const status = await statusOf(job(state), delegations);
      assert.equal(status.state, state);
      assert.equal(status.credentialWarning, undefined);
      assert.equal(delegations.reads, 0, `${state}: no delegation read for a finished job`);
    }
  });
});
