import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { accountingError } from '../../../services/accounting/errors.ts';

describe('accounting error table', () => {
  it('lists every code once, ACCOUNTING_-prefixed, with a hint, documented in the README and docs/errors.md', () => {
    const codes = Object.keys(accountingError.table);
    assert.equal(codes.length, 4, 'a code was added or removed: update this count and services/accounting/README.md');
    const readme = readFileSync(resolve(import.meta.dirname, '../../../services/accounting/README.md'), 'utf8');
    const page = readFileSync(resolve(import.meta.dirname, '../../../docs/errors.md'), 'utf8');
    for (const code of codes) {
      const spec = accountingError.table[code as keyof typeof accountingError.table];
      assert.match(code, /^ACCOUNTING_[A-Z_]+$/);
      assert.ok(spec.hint.length > 20 && /[.)]$/.test(spec.hint), `${code} needs a hint sentence`);
      assert.ok(readme.includes(code), `${code} is not documented in services/accounting/README.md`);
      assert.ok(page.includes(code), `${code} is not in docs/errors.md`);
    }
  });
});
