/** Which waiting jobs the broker wakes first when slots come free. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fairOrder } from '../../../../services/broker/fair-share/fair-order.ts';

const job = (id: string, owner: string, since: number) => ({ id, owner, since });

describe('fair-share order', () => {
  const waiting = [
    ...Array.from({ length: 5 }, (_, n) => job(`a${n}`, 'A', n)),
    job('b0', 'B', 10),
  ];
  it("wakes the owner with the fewest waiting jobs first, however late it came", () => {
    assert.deepEqual(fairOrder(waiting, 1).map((j) => j.id), ['b0']);
  });
  it('then the others, oldest first', () => {
    assert.deepEqual(fairOrder(waiting, 3).map((j) => j.id), ['b0', 'a0', 'a1']);
  });
  it('breaks a tie between equal backlogs by age, then favours the shorter backlog', () => {
    const even = [job('a0', 'A', 0), job('a1', 'A', 1), job('b0', 'B', 2), job('b1', 'B', 3), job('b2', 'B', 4)];
    assert.deepEqual(fairOrder(even, 5).map((j) => j.id), ['a0', 'a1', 'b0', 'b1', 'b2']);
  });
  it('wakes no more than there are', () => {
    assert.equal(fairOrder(waiting, 100).length, 6);
  });
});
