/** Which waiting jobs the broker wakes first when slots come free: fair share weighted by past usage. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fairOrder } from '../../../../services/broker/fair-share/fair-order.ts';
import type { OwnerShare } from '../../../../services/broker/fair-share/fair-share-store.ts';

const HOUR = 3600;
const job = (id: string, owner: string, since: number, charge = HOUR) => ({ id, owner, since, charge });
const shares = (entries: Record<string, Partial<OwnerShare>>) =>
  new Map(Object.entries(entries).map(([owner, share]) => [owner, { usage: share.usage ?? 0, running: share.running ?? 0 }]));
const ids = (jobs: ReadonlyArray<{ id: string }>) => jobs.map((j) => j.id);

describe('fair-share order, weighted by usage', () => {
  it('wakes the owner who used less first: A used 10 h, B 1 h → B, though A waited longer with fewer jobs', () => {
    const waiting = [job('a0', 'A', 0), job('b0', 'B', 5), job('b1', 'B', 6)];
    assert.deepEqual(ids(fairOrder(waiting, 1, shares({ A: { usage: 10 * HOUR }, B: { usage: HOUR } }))), ['b0']);
  });

  it("lets a light user's single job overtake a heavy user's flood, whose running jobs are charged", () => {
    const flood = Array.from({ length: 20 }, (_, n) => job(`a${n}`, 'A', n));
    const waiting = [...flood, job('b0', 'B', 100)];
    assert.deepEqual(ids(fairOrder(waiting, 1, shares({ A: { running: HOUR } }))), ['b0']);
    // Nothing used and nothing running on either side: the shorter backlog still goes first.
    assert.deepEqual(ids(fairOrder(waiting, 1)), ['b0']);
  });

  it('falls back to the old rule on equal usage: fewest waiting, then longest waited', () => {
    const equal = shares({ A: { usage: 50 }, B: { usage: 50 } });
    assert.deepEqual(ids(fairOrder([job('a0', 'A', 0), job('a1', 'A', 1), job('b0', 'B', 2)], 1, equal)), ['b0']);
    assert.deepEqual(ids(fairOrder([job('a0', 'A', 3), job('b0', 'B', 2)], 1, equal)), ['b0']);
  });

  it('charges each job woken to its owner, so owners with equal usage take turns', () => {
    const waiting = [job('a0', 'A', 0), job('a1', 'A', 1), job('a2', 'A', 2), job('b0', 'B', 3), job('b1', 'B', 4), job('b2', 'B', 5)];
    assert.deepEqual(ids(fairOrder(waiting, 6)), ['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('keeps a heavy user running until the light one catches up, then alternates', () => {
    const waiting = [job('a0', 'A', 0), job('a1', 'A', 1), job('b0', 'B', 2), job('b1', 'B', 3), job('b2', 'B', 4)];
    // A is two jobs' worth ahead: B gets two slots, then they alternate by share.
    assert.deepEqual(ids(fairOrder(waiting, 5, shares({ A: { usage: 2 * HOUR + 1 } }))), ['b0', 'b1', 'b2', 'a0', 'a1']);
  });

  it('gives a heavy user every slot when nobody else waits', () => {
    const waiting = [job('a0', 'A', 0), job('a1', 'A', 1), job('a2', 'A', 2)];
    assert.deepEqual(ids(fairOrder(waiting, 2, shares({ A: { usage: 1000 * HOUR, running: 50 * HOUR } }))), ['a0', 'a1']);
  });

  it('wakes no more than there are', () => {
    assert.equal(fairOrder([job('a0', 'A', 0), job('b0', 'B', 1)], 100).length, 2);
  });
});
