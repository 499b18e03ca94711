import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGridError } from '../../../services/common/errors.ts';
import { gsiError } from '../../../services/gsi/errors.ts';

describe('GSI error table', () => {
  it('lists every code once, each GSI_-prefixed with a side and a hint a person can act on', () => {
    const codes = Object.keys(gsiError.table);
    assert.equal(codes.length, 33, 'a code was added or removed: update this count and the docs');
    for (const code of codes) {
      const spec = gsiError.table[code as keyof typeof gsiError.table];
      assert.match(code, /^GSI_[A-Z_]+$/);
      assert.ok(spec.side === 'client' || spec.side === 'server', code);
      assert.ok(spec.hint.length > 20 && /[.)]$/.test(spec.hint), `${code} needs a hint sentence`);
    }
    assert.ok(Object.isFrozen(gsiError.table));
  });

  it('makes GridErrors that callers match by code', () => {
    const error = gsiError('GSI_EXPIRED', '"/O=Grid/CN=x" expired at 2020-01-01T00:00:00.000Z');
    assert.ok(isGridError(error, 'GSI_EXPIRED'));
    assert.equal(error.retryable, false);
    assert.equal(error.side, 'client');
    assert.equal(gsiError('GSI_NOT_YET_VALID', 'clock').retryable, true);
  });
});
