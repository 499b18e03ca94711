/** Usage records: wall time from Active to the end, CPU estimated as wall × count, cost from the price. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usageRecordOf } from '../../../../services/broker/accounting/usage-record.ts';
import { failedAtStart } from '../../../../services/broker/quarantine/start-failures.ts';
import type { JobRecord } from '../../../../services/common/job.ts';

const base: JobRecord = {
  id: 'j1',
  owner: '/O=Grid/CN=Tester',
  spec: { executable: '/bin/true', arguments: [], environment: {}, count: 4, project: 'atlas' },
  state: 'Done',
  submittedAt: '2026-01-01T00:00:00.000Z',
  site: 'beta',
  exitCode: 0,
  pricePerCpuHour: 0.5,
  history: [
    { state: 'Unsubmitted', at: '2026-01-01T00:00:00.000Z', by: 'gram' },
    { state: 'Active', at: '2026-01-01T00:00:01.000Z', by: 'site:alpha' },
    { state: 'Pending', at: '2026-01-01T00:00:05.000Z', by: 'broker' },
    { state: 'Active', at: '2026-01-01T00:00:10.000Z', by: 'site:beta' },
    { state: 'Done', at: '2026-01-01T00:30:10.000Z', by: 'site:beta' },
  ],
};

describe('usage records', () => {
  it('charges the run on the site the job ended on: 30 min × 4 CPUs at 0.5 an hour', () => {
    assert.deepEqual(usageRecordOf(base), {
      jobId: 'j1',
      owner: '/O=Grid/CN=Tester',
      vo: 'atlas',
      site: 'beta',
      state: 'Done',
      startedAt: '2026-01-01T00:00:10.000Z',
      endedAt: '2026-01-01T00:30:10.000Z',
      wallSeconds: 1800,
      cpuSeconds: 7200,
      pricePerCpuHour: 0.5,
      cost: 1,
      exitCode: 0,
    });
  });

  it('charges nothing for a job that never started, and has no record before the end', () => {
    const failed = usageRecordOf({ ...base, state: 'Failed', failureCode: 'SITE_WORKDIR_FAILED', exitCode: undefined, history: base.history.slice(0, 3) });
    assert.equal(failed?.wallSeconds, 0);
    assert.equal(failed?.cost, 0);
    assert.equal(failed?.failureCode, 'SITE_WORKDIR_FAILED');
    assert.equal(usageRecordOf({ ...base, state: 'Active' }), undefined);
  });
});

describe('failures at start (quarantine)', () => {
  const failed = (fields: Partial<JobRecord>): JobRecord => ({ ...base, state: 'Failed', history: base.history.slice(0, 3), ...fields });
  it('counts site faults and missing programs before the job was Active there', () => {
    assert.equal(failedAtStart(failed({ failureCode: 'SITE_WORKDIR_FAILED' })), true);
    assert.equal(failedAtStart(failed({ failureCode: 'GRAM_EXECUTABLE_NOT_FOUND' })), true);
  });
  it('does not count a job that ran, nor other failures', () => {
    assert.equal(failedAtStart(failed({ failureCode: 'SITE_OUTPUT_UNREADABLE', history: base.history })), false);
    assert.equal(failedAtStart(failed({ failureCode: 'GRAM_WALLTIME_EXCEEDED' })), false);
    assert.equal(failedAtStart({ ...base }), false);
  });
});
