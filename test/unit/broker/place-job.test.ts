/**
 * placeJob's use of matchmaking, with in-memory stand-ins for Redis (the integration test
 * test/integration/broker/requirements.test.ts runs the same paths on the real parts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Queue } from 'bullmq';
import { placeJob } from '../../../services/broker/place-job.ts';
import type { JobSpec } from '../../../services/common/job.ts';
import { silentLogger } from '../../../services/common/logger.ts';
import type { SiteLoad, SiteRegistry } from '../../../services/common/site-registry.ts';
import { oneJobStore } from '../../support/one-job-store.ts';

function harness(spec: Partial<JobSpec>, sites: SiteLoad[]) {
  const one = oneJobStore(spec, 'Unsubmitted');
  const jobs = one.store;
  const queued: string[] = [];
  const registry: SiteRegistry = {
    publish: async () => undefined,
    listLive: async () => sites,
    reserve: async () => true,
    release: async () => undefined,
  };
  const siteQueue = (site: string) => ({ add: async () => void queued.push(site) }) as unknown as Queue;
  const deps = { jobs, sites: registry, siteQueue, logger: silentLogger() };
  return { place: () => placeJob(deps, 'job-1'), job: one.job, queued };
}

const site = (name: string, totalSlots: number): SiteLoad => ({
  name, totalSlots, reservedSlots: 0, contact: '', lrms: 'fork', updatedAt: new Date().toISOString(), ttlSeconds: 15,
});

describe('placing a job with requirements and rank', () => {
  it('places on the best-ranked site that the requirements accept, saying so', async () => {
    const h = harness({ requirements: 'other.TotalCpus < 8', rank: '-other.TotalCpus' }, [site('alpha', 4), site('beta', 2), site('huge', 64)]);
    assert.deepEqual(await h.place(), { kind: 'placed', site: 'beta' });
    assert.equal(h.job().history.at(-1)?.reason, 'placed on beta (rank -2): 1 of 2 slots left free; 2 of 3 sites met the requirements');
    assert.deepEqual(h.queued, ['beta']);
  });

  it('waits with the failing requirement as the reason, recorded once', async () => {
    const h = harness({ requirements: 'other.FreeCpus >= 8' }, [site('alpha', 4), site('beta', 2)]);
    const reason = 'requirement 1 (other.FreeCpus >= 8) rejected 2 of 2 sites';
    assert.deepEqual(await h.place(), { kind: 'waiting', reason });
    await h.place();
    assert.deepEqual(h.job().history.map((e) => [e.state, e.reason]), [['Pending', `waiting: ${reason}`]]);
    assert.equal(h.job().state, 'Pending');
  });

  it('fails a stored job whose expression does not parse, instead of letting it wait forever', async () => {
    const h = harness({ requirements: 'other.Name = "beta"' }, [site('alpha', 4)]);
    const outcome = await h.place();
    assert.equal(outcome.kind, 'skipped');
    assert.equal(h.job().state, 'Failed');
    assert.equal(h.job().failureCode, 'BROKER_EXPRESSION_SYNTAX');
    assert.match(h.job().failureMessage ?? '', /^the requirements expression has a syntax error at column 12/);
    assert.deepEqual(h.queued, []);
  });
});
