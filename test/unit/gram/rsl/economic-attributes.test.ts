/** budget, deadline and optimise: Weft's economic RSL attributes, checked at submission. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGridError } from '../../../../services/common/errors.ts';
import { rslToJobSpec } from '../../../../services/gram/rsl/index.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const job = (rest: string) => `&(executable=/bin/echo)${rest}`;

function refused(text: string, pattern: RegExp) {
  assert.throws(
    () => rslToJobSpec(text, NOW),
    (error: unknown) => {
      assert.ok(isGridError(error, 'GRAM_RSL_BAD_VALUE'), String(error));
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('economic RSL attributes', () => {
  it('reads a budget, a deadline in minutes and what to optimise', () => {
    const spec = rslToJobSpec(job('(budget=12.5)(deadline=90)(optimise=COST)'), NOW);
    assert.equal(spec.budget, 12.5);
    assert.equal(spec.deadline, '2026-01-01T13:30:00.000Z');
    assert.equal(spec.optimise, 'cost');
  });

  it('reads a deadline as an ISO time with its zone', () => {
    assert.equal(rslToJobSpec(job('(deadline="2026-01-01T14:00:00+01:00")(optimise=time)'), NOW).deadline, '2026-01-01T13:00:00.000Z');
    assert.equal(rslToJobSpec(job('(budget=0)'), NOW).budget, 0);
  });

  it('refuses a negative or non-numeric budget', () => {
    refused(job('(budget=-5)'), /the RSL budget "-5" at column \d+ is negative/);
    refused(job('(budget=ten)'), /is not a decimal amount/);
  });

  it('refuses a deadline in the past, or one it cannot read', () => {
    refused(job('(deadline="2025-12-31T23:00:00Z")'), /the RSL deadline "2025-12-31T23:00:00Z" at column \d+ is in the past/);
    refused(job('(deadline=0)'), /is not in the future/);
    refused(job('(deadline=-10)'), /is negative/);
    refused(job('(deadline=tomorrow)'), /is neither whole minutes nor an ISO time/);
    refused(job('(deadline="2026-01-02T12:00:00")'), /is neither whole minutes nor an ISO time/); // no zone
  });

  it('refuses an optimise other than cost or time', () => {
    refused(job('(optimise=speed)'), /the RSL optimise "speed" at column \d+ is not cost or time/);
  });
});
