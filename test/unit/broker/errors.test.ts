import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brokerError } from '../../../services/broker/index.ts';
import { isGridError } from '../../../services/common/errors.ts';

describe('broker error table', () => {
  it('lists every code once, each BROKER_-prefixed, a client fault with a hint a person can act on', () => {
    const codes = Object.keys(brokerError.table);
    assert.equal(codes.length, 7, 'a code was added or removed: update this count and the README');
    for (const code of codes) {
      const spec = brokerError.table[code as keyof typeof brokerError.table];
      assert.match(code, /^BROKER_[A-Z_]+$/);
      assert.ok(spec.side === 'client' || spec.side === 'server', code);
      assert.ok(spec.hint.length > 20 && /[.)]$/.test(spec.hint), `${code} needs a hint sentence`);
    }
    assert.ok(Object.isFrozen(brokerError.table));
  });

  it('makes GridErrors that callers match by code', () => {
    const error = brokerError('BROKER_EXPRESSION_SYNTAX', 'the expression has a syntax error at column 3', { position: 3 });
    assert.ok(isGridError(error, 'BROKER_EXPRESSION_SYNTAX'));
    assert.equal(error.retryable, false);
    assert.equal(error.details.position, 3);
  });
});
