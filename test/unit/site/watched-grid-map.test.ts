/**
 * The site's grid-mapfile kept current: an edit is picked up at the next look, a broken edit is
 * reported once and the last good map stays in force, and an agent with no good map never starts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { isGridError } from '../../../services/common/errors.ts';
import { lookupAccount } from '../../../services/gsi/index.ts';
import { watchGridMapfile } from '../../../services/site/authz/watched-grid-map.ts';

function capturingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, errors: () => lines.filter((line) => line.level >= 50).map((line) => line.msg) };
}

const DEV = '/O=Grid/OU=Weft/CN=Dev User';
const ANN = '/O=Grid/OU=Weft/CN=Ann Other';

describe('the watched grid-mapfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-watched-map-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('picks up an edit, and one that replaces the file (mv), at the next look', async () => {
    const path = join(dir, 'edit');
    writeFileSync(path, `"${DEV}" weft\n`);
    const { logger } = capturingLogger();
    const watched = await watchGridMapfile(path, logger);
    assert.equal(lookupAccount(await watched.current(), ANN), undefined);
    writeFileSync(path, `"${DEV}" weft\n"${ANN}" ann\n`);
    assert.equal(lookupAccount(await watched.current(), ANN), 'ann');
    writeFileSync(`${path}.new`, `"${ANN}" annie\n`);
    renameSync(`${path}.new`, path);
    const map = await watched.current();
    assert.equal(lookupAccount(map, ANN), 'annie');
    assert.equal(lookupAccount(map, DEV), undefined);
  });

  it('keeps the last good map when an edit breaks the file or it goes away, and says so once', async () => {
    const path = join(dir, 'broken');
    writeFileSync(path, `"${DEV}" weft\n`);
    const { logger, errors } = capturingLogger();
    const watched = await watchGridMapfile(path, logger);
    writeFileSync(path, `"${DEV}" weft\n"${ANN} ann\n`);
    assert.equal(lookupAccount(await watched.current(), DEV), 'weft');
    assert.equal(lookupAccount(await watched.current(), DEV), 'weft');
    assert.deepEqual(errors(), [`${path} has 1 bad line(s): line 2: the closing quote of the DN is missing; the last good map (1 DNs) stays in force`]);
    rmSync(path);
    assert.equal(lookupAccount(await watched.current(), DEV), 'weft');
    assert.equal(lookupAccount(await watched.current(), DEV), 'weft');
    assert.equal(errors().length, 2);
    assert.match(errors()[1] ?? '', /is gone or unreadable; the last good map \(1 DNs\) stays in force/);
    writeFileSync(path, `"${ANN}" ann\n`);
    assert.equal(lookupAccount(await watched.current(), ANN), 'ann');
  });

  it('refuses to start without a good map: a missing file or one with bad lines', async () => {
    const { logger } = capturingLogger();
    await assert.rejects(watchGridMapfile(join(dir, 'missing'), logger), (error: unknown) =>
      isGridError(error, 'SITE_GRID_MAPFILE_UNREADABLE') && /the grid-mapfile .*missing could not be read \(ENOENT\)/.test(error.message),
    );
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'no-account-here\n');
    await assert.rejects(watchGridMapfile(bad, logger), (error: unknown) =>
      isGridError(error, 'GSI_GRID_MAPFILE_SYNTAX') && /line 1: no local account follows the DN/.test(error.message),
    );
  });
});
