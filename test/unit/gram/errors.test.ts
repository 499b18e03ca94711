import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gramError } from '../../../services/gram/errors.ts';

describe('GRAM error table', () => {
  it('lists every code once, each GRAM_-prefixed with a side and a hint a person can act on', () => {
    const codes = Object.keys(gramError.table);
    assert.equal(codes.length, 19, 'a code was added or removed: update this count and the docs');
    for (const code of codes) {
      const spec = gramError.table[code as keyof typeof gramError.table];
      assert.match(code, /^GRAM_[A-Z_]+$/);
      assert.ok(spec.side === 'client' || spec.side === 'server', code);
      assert.ok(spec.hint.length > 20 && /[.)]$/.test(spec.hint), `${code} needs a hint sentence`);
    }
    assert.ok(Object.isFrozen(gramError.table));
  });
});
