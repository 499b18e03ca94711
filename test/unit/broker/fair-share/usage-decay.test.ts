/** Recent usage with a half-life: the arithmetic fair share orders by, and its stored form. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectedCpuSeconds } from '../../../../services/broker/fair-share/expected-usage.ts';
import { fairOrder } from '../../../../services/broker/fair-share/fair-order.ts';
import { addDecayed, decayedTo, parseDecayed } from '../../../../services/broker/fair-share/usage-decay.ts';

const HALF_LIFE = 3600;
const HOUR_MS = 3_600_000;

describe('decayed usage', () => {
  it('halves every half-life', () => {
    const stored = { value: 36_000, atMs: 0 };
    assert.equal(decayedTo(stored, 0, HALF_LIFE), 36_000);
    assert.equal(decayedTo(stored, HOUR_MS, HALF_LIFE), 18_000);
    assert.equal(decayedTo(stored, 3 * HOUR_MS, HALF_LIFE), 4_500);
    assert.ok(Math.abs(decayedTo(stored, HOUR_MS / 2, HALF_LIFE) - 36_000 / Math.SQRT2) < 1e-6);
  });

  it('adds to the value decayed to now, and moves its time to now', () => {
    const once = addDecayed(undefined, 1000, 10 * HOUR_MS, HALF_LIFE);
    assert.deepEqual(once, { value: 1000, atMs: 10 * HOUR_MS });
    assert.deepEqual(addDecayed(once, 500, 11 * HOUR_MS, HALF_LIFE), { value: 1000, atMs: 11 * HOUR_MS });
  });

  it('counts a clock that went back as no time passed', () => {
    assert.equal(decayedTo({ value: 100, atMs: 5000 }, 1000, HALF_LIFE), 100);
  });

  it('reads what Redis stores, and nothing else', () => {
    assert.deepEqual(parseDecayed('123.500000 1700000000000'), { value: 123.5, atMs: 1_700_000_000_000 });
    assert.equal(parseDecayed(null), undefined);
    assert.equal(parseDecayed('abc 12'), undefined);
    assert.equal(parseDecayed('12'), undefined);
  });

  it('lets old heavy usage fade: 10 h used 4 h ago counts less than 1 h used now', () => {
    const now = 4 * HOUR_MS;
    const a = decayedTo({ value: 10 * 3600, atMs: 0 }, now, HALF_LIFE);
    const b = decayedTo({ value: 3600, atMs: now }, now, HALF_LIFE);
    const usage = new Map([['A', { usage: a, running: 0 }], ['B', { usage: b, running: 0 }]]);
    const waiting = [{ id: 'b0', owner: 'B', since: 0, charge: 60 }, { id: 'a0', owner: 'A', since: 1, charge: 60 }];
    assert.deepEqual(fairOrder(waiting, 1, usage).map((j) => j.id), ['a0']);
  });

  it('charges a job its slots × maxWallTime, else × 60 minutes', () => {
    assert.equal(expectedCpuSeconds({ count: 2, maxWallTime: 10 }), 1200);
    assert.equal(expectedCpuSeconds({ count: 1 }), 3600);
  });
});
