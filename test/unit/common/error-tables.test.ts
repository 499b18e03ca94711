import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_TABLES, renderErrorCodes } from '../../../scripts/error-tables.ts';

describe('error codes', () => {
  it('are unique across every service, carry their service prefix and a hint', () => {
    const seen = new Map<string, string>();
    for (const { service, prefix, table } of ERROR_TABLES) {
      for (const [code, spec] of Object.entries(table)) {
        assert.ok(!seen.has(code), `${code} is in both ${seen.get(code)} and ${service}`);
        seen.set(code, service);
        assert.ok(code.startsWith(prefix), `${code} should start with ${prefix}`);
        assert.match(code, /^[A-Z]+_[A-Z0-9_]+$/);
        assert.ok(spec.hint.length > 15, `${code} needs a hint a person can act on`);
      }
    }
    assert.ok(seen.size > 40);
  });

  it('are all documented in docs/errors.md, which is up to date', () => {
    const doc = readFileSync(join(resolve(import.meta.dirname, '..', '..', '..'), 'docs', 'errors.md'), 'utf8');
    assert.equal(doc, renderErrorCodes(), 'run: node --import tsx scripts/render-error-codes.ts');
  });
});
