import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeFileAtomic } from '../../../../services/gsi/pki/write-file-atomic.ts';
import { makeTempDir } from '../support/fixtures.ts';

describe('writeFileAtomic', () => {
  it('gives the file exactly the mode asked for, whatever the umask, and leaves no temp file', async () => {
    const dir = makeTempDir('atomic');
    const previous = process.umask(0o000);
    try {
      await writeFileAtomic(join(dir, 'key.pem'), 'secret', 0o600);
      process.umask(0o077);
      await writeFileAtomic(join(dir, 'cert.pem'), 'public', 0o644);
    } finally {
      process.umask(previous);
    }
    assert.equal(statSync(join(dir, 'key.pem')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'cert.pem')).mode & 0o777, 0o644);
    await writeFileAtomic(join(dir, 'cert.pem'), 'replaced', 0o644);
    assert.equal(readFileSync(join(dir, 'cert.pem'), 'utf8'), 'replaced');
    assert.deepEqual(readdirSync(dir).sort(), ['cert.pem', 'key.pem']);
  });
});
