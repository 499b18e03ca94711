import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rankSites } from '../../../services/broker/matching/rank-sites.ts';
import type { SiteLoad } from '../../../services/common/site-registry.ts';

const site = (name: string, totalSlots: number, reservedSlots: number): SiteLoad => ({
  name, totalSlots, reservedSlots, contact: '', lrms: 'fork', updatedAt: '', ttlSeconds: 15,
});

describe('ranking sites for a job', () => {
  it('prefers the site with the most free slots, then the name', () => {
    const choice = rankSites([site('beta', 2, 0), site('alpha', 4, 3), site('gamma', 4, 2)], 1);
    assert.deepEqual(choice.ranked.map((s) => s.name), ['beta', 'gamma', 'alpha']);
  });

  it('explains why nothing fits', () => {
    assert.match(rankSites([], 1).reason ?? '', /no site is registered/);
    assert.match(rankSites([site('alpha', 4, 0)], 8).reason ?? '', /asks for 8 slots but the largest of 1 sites has 4/);
    assert.match(rankSites([site('alpha', 4, 4)], 1).reason ?? '', /all 1 sites that could take 1 slots are full/);
  });
});
