import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { isGridError } from '../../../services/common/errors.ts';
import { mdsError } from '../../../services/mds/errors.ts';

describe('MDS error table', () => {
  it('lists every code once, MDS_-prefixed, with a hint, and documented on the index page', () => {
    const codes = Object.keys(mdsError.table);
    assert.equal(codes.length, 13, 'a code was added or removed: update this count and services/mds/README.md');
    const readme = readFileSync(resolve(import.meta.dirname, '../../../services/mds/README.md'), 'utf8');
    for (const code of codes) {
      const spec = mdsError.table[code as keyof typeof mdsError.table];
      assert.match(code, /^MDS_[A-Z_]+$/);
      assert.ok(spec.side === 'client' || spec.side === 'server', code);
      assert.ok(spec.hint.length > 20 && /[.)]$/.test(spec.hint), `${code} needs a hint sentence`);
      assert.ok(readme.includes(code), `${code} is not documented in services/mds/README.md`);
    }
    assert.ok(Object.isFrozen(mdsError.table));
  });

  it('makes GridErrors callers match by code', () => {
    assert.ok(isGridError(mdsError('MDS_INVALID_DN', 'x'), 'MDS_INVALID_DN'));
  });
});
