/** The monitor's decision about one placed job, and which sites a resubmitted job may go to. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgePlacedJob, type PlacedJobFacts } from '../../../../services/broker/monitoring/judge-placed-job.ts';
import { withoutExcluded } from '../../../../services/broker/monitoring/usable-sites.ts';
import type { JobRecord } from '../../../../services/common/job.ts';
import type { SiteLoad } from '../../../../services/common/site-registry.ts';

function job(fields: Partial<JobRecord>): JobRecord {
  return {
    id: 'j1',
    owner: '/O=Grid/CN=Tester',
    spec: { executable: '/bin/true', arguments: [], environment: {}, count: 1 },
    state: 'Active',
    submittedAt: '2026-01-01T00:00:00.000Z',
    history: [],
    site: 'alpha',
    ...fields,
  };
}

const facts = (fields: Partial<PlacedJobFacts>): PlacedJobFacts => ({
  site: 'alpha',
  indexedAttempt: 1,
  job: job({}),
  siteLive: true,
  queueState: 'active',
  maxAttempts: 3,
  ...fields,
});

describe('judging a placed job', () => {
  it('keeps a job its live site is running', () => {
    assert.deepEqual(judgePlacedJob(facts({})), { action: 'keep' });
    assert.deepEqual(judgePlacedJob(facts({ queueState: 'waiting' })), { action: 'keep' });
    // Placed, but not yet on the site queue: the broker is still handing it over.
    assert.deepEqual(judgePlacedJob(facts({ queueState: 'unknown' })), { action: 'keep' });
  });

  it('forgets ended and vanished jobs', () => {
    assert.deepEqual(judgePlacedJob(facts({ job: job({ state: 'Done' }) })), { action: 'forget' });
    assert.deepEqual(judgePlacedJob(facts({ job: undefined })), { action: 'forget' });
  });

  it('resubmits when the site stopped refreshing, counting the attempt', () => {
    assert.deepEqual(judgePlacedJob(facts({ siteLive: false, queueState: undefined })), {
      action: 'resubmit',
      attempt: 2,
      reason: 'site alpha stopped refreshing its record (its agent is gone); resubmitting, attempt 2 of 3',
    });
  });

  it('resubmits when the agent let go of a job that has not ended (stalled or shut down)', () => {
    for (const queueState of ['completed', 'failed'] as const) {
      const decision = judgePlacedJob(facts({ queueState, job: job({ attempts: 2 }) }));
      assert.equal(decision.action, 'resubmit');
      assert.match((decision as { reason: string }).reason, /^the agent of site alpha stopped looking after the job .*attempt 3 of 3$/);
    }
  });

  it('fails the job once the attempts are used up', () => {
    assert.deepEqual(judgePlacedJob(facts({ siteLive: false, job: job({ attempts: 3 }) })), {
      action: 'fail',
      reason:
        'site alpha stopped refreshing its record (its agent is gone); the job was placed 3 times, ' +
        'the most allowed (WEFT_BROKER_MAX_ATTEMPTS=3)',
    });
  });

  it('tidies a job that already left the site, but not one being placed there right now', () => {
    assert.deepEqual(judgePlacedJob(facts({ job: job({ site: 'beta', attempts: 2 }) })), { action: 'tidy' });
    assert.deepEqual(judgePlacedJob(facts({ job: job({ site: undefined, state: 'Pending', attempts: 2 }) })), { action: 'tidy' });
    assert.deepEqual(judgePlacedJob(facts({ job: job({ site: undefined, state: 'Pending' }) })), { action: 'keep' });
  });
});

describe('sites a resubmitted job may go to', () => {
  const site = (name: string): SiteLoad => ({
    name, totalSlots: 1, reservedSlots: 0, contact: '', lrms: 'fork', updatedAt: '', ttlSeconds: 3,
  });
  it('leaves out the sites that lost it', () => {
    const kept = withoutExcluded(job({ excludedSites: ['alpha'] }), [site('alpha'), site('beta')]);
    assert.deepEqual(kept.map((s) => s.name), ['beta']);
  });
  it('lets it back when every live site has lost it once', () => {
    const kept = withoutExcluded(job({ excludedSites: ['alpha'] }), [site('alpha')]);
    assert.deepEqual(kept.map((s) => s.name), ['alpha']);
  });
});
