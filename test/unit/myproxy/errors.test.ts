import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { isGridError } from '../../../services/common/errors.ts';
import { myproxyError } from '../../../services/myproxy/errors.ts';

describe('MyProxy error table', () => {
  it('lists every code once, MYPROXY_-prefixed, with a hint, documented in the README and docs/errors.md', () => {
    const codes = Object.keys(myproxyError.table);
    assert.equal(codes.length, 9, 'a code was added or removed: update this count and services/myproxy/README.md');
    const readme = readFileSync(resolve(import.meta.dirname, '../../../services/myproxy/README.md'), 'utf8');
    const page = readFileSync(resolve(import.meta.dirname, '../../../docs/errors.md'), 'utf8');
    for (const code of codes) {
      const spec = myproxyError.table[code as keyof typeof myproxyError.table];
      assert.match(code, /^MYPROXY_[A-Z_]+$/);
      assert.ok(spec.hint.length > 20 && /[.)]$/.test(spec.hint), `${code} needs a hint sentence`);
      assert.ok(readme.includes(code), `${code} is not documented in services/myproxy/README.md`);
      assert.ok(page.includes(code), `${code} is not in docs/errors.md`);
    }
    assert.ok(isGridError(myproxyError('MYPROXY_NOT_FOUND', 'x'), 'MYPROXY_NOT_FOUND'));
  });
});
