import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asctime, formatTimeLeft, parseValid } from '../../../services/cli/commands/proxy-time.ts';

describe('proxy times as GCT prints and reads them', () => {
  it('prints "valid until" as C asctime does, day padded with a space', () => {
    assert.equal(asctime(new Date(2026, 10, 3, 6, 5, 4)), 'Tue Nov  3 06:05:04 2026');
    assert.equal(asctime(new Date(2026, 10, 23, 16, 35, 1)), 'Mon Nov 23 16:35:01 2026');
  });

  it('prints time left as H:MM:SS, with days past one day, and 0:00:00 once expired', () => {
    assert.equal(formatTimeLeft(43_197), '11:59:57');
    assert.equal(formatTimeLeft(-5), '0:00:00');
    assert.equal(formatTimeLeft(2 * 86_400 + 61), '48:01:01  (2.0 days)');
  });

  it('reads -valid H:M as minutes and refuses other spellings', () => {
    assert.equal(parseValid('-valid', '1:30'), 90);
    assert.equal(parseValid('-valid', '12:00'), 720);
    assert.throws(() => parseValid('-valid', '90'), { code: 'CLI_USAGE', message: /H:M/ });
    assert.throws(() => parseValid('-valid', '1:75'), { code: 'CLI_USAGE', message: /0-60/ });
  });
});
