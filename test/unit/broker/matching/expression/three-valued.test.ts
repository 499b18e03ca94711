/**
 * ClassAd three-valued logic, operator by operator. `t`, `f`, `e`, `s`, `n`, `zero` are job
 * attributes (true, false, ERROR, "text", 3, 0) and `u` is missing, so that nothing here is
 * folded or refused at parse time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ev } from './support.ts';

const OPERANDS = ['t', 'f', 'u', 'e'] as const;
const NAMES: Record<string, string> = { t: 'true', f: 'false', u: 'undefined', e: 'error' };

function table(op: string, expected: string[][]) {
  OPERANDS.forEach((left, i) =>
    OPERANDS.forEach((right, j) => {
      assert.equal(ev(`my.${left} ${op} my.${right}`), expected[i]?.[j], `${NAMES[left]} ${op} ${NAMES[right]}`);
    }),
  );
}

describe('three-valued logic, as ClassAds define it', () => {
  it('&&: false wins over everything to its right, ERROR on the left wins', () => {
    table('&&', [
      //  t        f        u            e
      ['true', 'false', 'undefined', 'error'], // t
      ['false', 'false', 'false', 'false'], // f
      ['undefined', 'false', 'undefined', 'error'], // u
      ['error', 'error', 'error', 'error'], // e
    ]);
  });

  it('||: true wins over everything to its right, ERROR on the left wins', () => {
    table('||', [
      ['true', 'true', 'true', 'true'],
      ['true', 'false', 'undefined', 'error'],
      ['true', 'undefined', 'undefined', 'error'],
      ['error', 'error', 'error', 'error'],
    ]);
  });

  it('!: flips booleans, keeps UNDEFINED and ERROR', () => {
    assert.deepEqual(OPERANDS.map((x) => ev(`!my.${x}`)), ['false', 'true', 'undefined', 'error']);
  });

  it('?: takes a branch on a boolean, is UNDEFINED or ERROR on those, and evaluates one branch only', () => {
    assert.deepEqual(OPERANDS.map((x) => ev(`my.${x} ? 1 : 2`)), ['1', '2', 'undefined', 'error']);
    assert.equal(ev('my.t ? 1 : 1 / my.zero'), '1');
    assert.equal(ev('my.s ? 1 : 2'), 'error');
  });

  it('does not evaluate what cannot change the result', () => {
    // 1 / zero would be ERROR: short-circuiting is what keeps it out.
    assert.equal(ev('my.f && 1 / my.zero > 0'), 'false');
    assert.equal(ev('my.t || 1 / my.zero > 0'), 'true');
    assert.equal(ev('my.t && 1 / my.zero > 0'), 'error');
  });

  it('reads non-zero numbers as true and refuses strings and lists in logic', () => {
    assert.equal(ev('my.n && my.t'), 'true');
    assert.equal(ev('my.zero || my.f'), 'false');
    assert.equal(ev('!my.zero'), 'true');
    assert.equal(ev('my.t && my.n'), 'true', 'the number comes out as a boolean');
    assert.equal(ev('my.s && my.t'), 'error');
    assert.equal(ev('my.t && my.s'), 'error');
    assert.equal(ev('my.u && my.s'), 'error');
    assert.equal(ev('my.f && my.s'), 'false');
    assert.equal(ev('my.list || my.t'), 'error');
    assert.equal(ev('!my.s'), 'error');
  });

  it('comparisons with UNDEFINED are UNDEFINED, with ERROR are ERROR (ERROR first)', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      assert.equal(ev(`my.u ${op} 1`), 'undefined', op);
      assert.equal(ev(`1 ${op} my.u`), 'undefined', op);
      assert.equal(ev(`my.e ${op} 1`), 'error', op);
      assert.equal(ev(`my.u ${op} my.e`), 'error', op);
    }
    assert.equal(ev('my.u == my.u'), 'undefined');
  });

  it('arithmetic is strict the same way, and a type mismatch is ERROR', () => {
    for (const op of ['+', '-', '*', '/', '%']) {
      assert.equal(ev(`my.u ${op} 1`), 'undefined', op);
      assert.equal(ev(`my.e ${op} my.u`), 'error', op);
      assert.equal(ev(`my.u ${op} my.e`), 'error', op);
      assert.equal(ev(`my.s ${op} 1`), 'error', op);
      assert.equal(ev(`my.list ${op} 1`), 'error', op);
    }
    assert.equal(ev('-my.u'), 'undefined');
    assert.equal(ev('-my.e'), 'error');
    assert.equal(ev('-my.s'), 'error');
    assert.equal(ev('-my.t'), 'error');
    assert.equal(ev('+my.n'), '3');
  });

  it('=?= and =!= never yield UNDEFINED or ERROR: same type and same value', () => {
    assert.equal(ev('my.u =?= undefined'), 'true');
    assert.equal(ev('my.u =?= my.u'), 'true');
    assert.equal(ev('my.e =?= error'), 'true');
    assert.equal(ev('my.u =?= my.e'), 'false');
    assert.equal(ev('my.u =!= 1'), 'true');
    assert.equal(ev('my.n =?= 3'), 'true');
    assert.equal(ev('my.n =?= 3.0'), 'false', 'integer and real are different types');
    assert.equal(ev('my.t =?= 1'), 'false');
    assert.equal(ev('my.list =?= {1, "a"}'), 'true');
    assert.equal(ev('my.list =?= {1, "A"}'), 'false');
    assert.equal(ev('my.list =!= {1}'), 'true');
  });
});

describe('numbers', () => {
  it('keeps integers and reals apart, as ClassAds do', () => {
    assert.equal(ev('7 / 2'), '3');
    assert.equal(ev('-7 / 2'), '-3', 'integer division truncates toward zero');
    assert.equal(ev('7.0 / 2'), '3.5');
    assert.equal(ev('7 % 3'), '1');
    assert.equal(ev('-7 % 3'), '-1');
    assert.equal(ev('1 + 2.5'), '3.5');
    assert.equal(ev('2 * 1.5'), '3.0');
    assert.equal(ev('my.t + 1'), '2', 'booleans count as 1 and 0');
    assert.equal(ev('my.t == 1'), 'true');
    assert.equal(ev('1 == 1.0'), 'true');
    assert.equal(ev('2 < 2.5'), 'true');
  });

  it('makes division by zero, % of reals and overflow ERROR', () => {
    assert.equal(ev('my.n / my.zero'), 'error');
    assert.equal(ev('my.n % my.zero'), 'error');
    assert.equal(ev('my.r / 0.0 + my.zero'), 'error');
    assert.equal(ev('my.r % 2'), 'error');
    assert.equal(ev('my.n * 9007199254740991'), 'error');
    assert.equal(ev('my.r * 1e308 * 10'), 'error');
    assert.equal(ev('9007199254740991 / my.n'), '3002399751580330');
  });
});
