/**
 * A running job's proxy file kept current: a renewed delegation rewrites `x509up` whole (the
 * job never sees half a proxy), the new file belongs to the account the job runs as, and a link
 * the job planted at `x509up` is replaced, never followed — the agent may be root.
 */
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DelegatedCredential } from '../../../services/delegation/index.ts';
import { createLogger } from '../../../services/common/logger.ts';
import { keepJobProxyFresh } from '../../../services/site/refresh-job-proxy.ts';

const logger = createLogger({ name: 'test', level: 'silent' });

function credential(notAfter: Date, marker: string): DelegatedCredential {
  // Not real PEMs: the file layout is what is checked here, not the certificates.
  return { certPem: `cert ${marker}\n`, keyPem: `key ${marker}\n`, chainPems: [`chain ${marker}\n`], notAfter };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('keepJobProxyFresh', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-proxy-refresh-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites the file when the proxy was renewed, mode 0600, owned by the job account', async () => {
    const path = join(dir, 'x509up');
    writeFileSync(path, 'old proxy', { mode: 0o600 });
    let current = credential(new Date(Date.now() + 60_000), 'first');
    // Root can give the file away; anyone else can only "give" it to themselves.
    const owner = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : { uid: process.getuid!(), gid: process.getgid!() };
    const refresher = keepJobProxyFresh(async () => current, 'd1', path, logger, owner, 20);
    try {
      await until(() => readFileSync(path, 'utf8').includes('first'));
      current = credential(new Date(Date.now() + 3_600_000), 'renewed');
      await until(() => readFileSync(path, 'utf8').includes('renewed'));
      const info = lstatSync(path);
      assert.equal(info.mode & 0o777, 0o600);
      assert.equal(info.uid, owner.uid);
      assert.equal(info.gid, owner.gid);
      assert.match(readFileSync(path, 'utf8'), /^cert renewed\n/);
    } finally {
      await refresher.stop();
    }
  });

  it('replaces a link planted at x509up instead of writing through it, and ignores one planted at a guessable temporary name', async () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'must stay as it is');
    const path = join(dir, 'x509up-linked');
    symlinkSync(victim, path);
    symlinkSync(victim, `${path}.new`);
    const refresher = keepJobProxyFresh(async () => credential(new Date(Date.now() + 60_000), 'fresh'), 'd2', path, logger, undefined, 20);
    try {
      await until(() => !lstatSync(path).isSymbolicLink());
      assert.equal(readFileSync(victim, 'utf8'), 'must stay as it is');
      assert.match(readFileSync(path, 'utf8'), /fresh/);
    } finally {
      await refresher.stop();
    }
  });
});
