/**
 * The AccountingService as users meet it, over real HTTPS with minted certificates: Alice and Bob
 * each see only their own totals and records (no answer names the other), the dev user — an
 * accounting administrator in the dev PKI — sees both, and bad requests are refused with their
 * code. `weft accounting` prints the caller's own totals.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { accountingServiceUrl, getUsage, listUsageRecords } from '../../../services/cli/accounting-client.ts';
import type { ClientCredentials } from '../../../services/cli/gram-client.ts';
import { issueUserCertificate } from '../../../services/gsi/index.ts';
import { devUserEnv } from '../../support/dev-user-env.ts';
import { caPemsIn, startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { envelope, faultCode, rawRequest } from '../../support/raw-soap.ts';
import { runToEnd } from '../../support/run-job.ts';
import { runWeft } from '../../support/run-weft.ts';

const ALICE = '/O=Grid/OU=Weft/CN=Alice Accounting';
const BOB = '/O=Grid/OU=Weft/CN=Bob Accounting';
const DEV_USER = '/O=Grid/OU=Weft/CN=Dev User';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const rejectsWith = (code: string) => (error: unknown) => {
  assert.equal((error as { code?: string }).code, code, String(error));
  return true;
};

describe('AccountingService: each user sees only their own usage', () => {
  let grid: TestGrid;
  let url: string;
  let alice: ClientCredentials;
  let bob: ClientCredentials;
  const scratch = mkdtempSync(join(tmpdir(), 'weft-accounting-'));

  before(async () => {
    grid = await startTestGrid({ sites: [{ name: 'alpha', slots: 2 }] });
    url = accountingServiceUrl(grid.baseUrl);
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    const mint = async (dn: string) => ({ ...(await issueUserCertificate(ca, { subjectDn: dn, days: 1 })), chainPems: [], caPems: grid.caPems });
    [alice, bob] = await Promise.all([mint(ALICE), mint(BOB)]);
    const ends = await Promise.all([
      runToEnd(grid.baseUrl, '&(executable=/bin/true)(project=atlas)', alice),
      runToEnd(grid.baseUrl, '&(executable=/bin/true)(project=atlas)', alice),
      runToEnd(grid.baseUrl, '&(executable=/bin/true)(project=cms)', bob),
    ]);
    assert.deepEqual(ends.map((status) => status.state), ['Done', 'Done', 'Done']);
    // The brokers write usage just after a job ends.
    await until('three usage records', async () => {
      const all = await getUsage(url, {}, grid.user);
      return all.total.reduce((sum, row) => sum + row.jobs, 0) === 3 ? true : undefined;
    });
  });
  after(async () => {
    await grid?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('gives Alice her own totals alone, by user, VO and site', async () => {
    const byUser = await getUsage(url, {}, alice);
    assert.equal(byUser.scope, 'own');
    assert.deepEqual(byUser.total.map((row) => [row.name, row.jobs]), [[ALICE, 2]]);
    assert.deepEqual((await getUsage(url, { groupBy: 'vo' }, alice)).total.map((row) => [row.name, row.jobs]), [['atlas', 2]]);
    assert.deepEqual((await getUsage(url, { groupBy: 'site' }, alice)).total.map((row) => [row.name, row.jobs]), [['alpha', 2]]);
    const records = await listUsageRecords(url, {}, alice);
    assert.equal(records.length, 2);
    assert.ok(records.every((record) => record.owner === ALICE && record.state === 'Done'));
  });

  it("gives Bob his, and never Alice's", async () => {
    const byUser = await getUsage(url, {}, bob);
    assert.deepEqual(byUser.total.map((row) => [row.name, row.jobs]), [[BOB, 1]]);
    assert.deepEqual((await getUsage(url, { groupBy: 'vo' }, bob)).total.map((row) => row.name), ['cms']);
    const records = await listUsageRecords(url, { limit: 1000 }, bob);
    assert.deepEqual(records.map((record) => record.owner), [BOB]);
  });

  it('gives an accounting administrator everyone, in a window too', async () => {
    const all = await getUsage(url, { groupBy: 'user' }, grid.user);
    assert.equal(all.scope, 'all');
    assert.deepEqual(all.total.map((row) => [row.name, row.jobs]).sort(), [[ALICE, 2], [BOB, 1]]);
    const hour = await getUsage(url, { groupBy: 'vo', from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }, grid.user);
    assert.deepEqual(hour.total.map((row) => [row.name, row.jobs]).sort(), [['atlas', 2], ['cms', 1]]);
    const future = await getUsage(url, { from: '2099-01-01T00:00:00Z' }, grid.user);
    assert.deepEqual(future.total, []);
    assert.equal((await listUsageRecords(url, { limit: 2 }, grid.user)).length, 2);
  });

  it('refuses bad input with a stable code', async () => {
    await assert.rejects(getUsage(url, { from: '2026-11-23T07:00:00Z', to: '2026-11-23T06:00:00Z' }, alice), rejectsWith('ACCOUNTING_BAD_RANGE'));
    await assert.rejects(getUsage(url, { groupBy: 'planet' as 'user' }, alice), rejectsWith('ACCOUNTING_BAD_GROUP_BY'));
    await assert.rejects(listUsageRecords(url, { limit: 5000 }, alice), rejectsWith('ACCOUNTING_BAD_LIMIT'));
    const raw = await rawRequest(
      url,
      envelope('<a:getUsage xmlns:a="http://weft.grid/ns/2026/accounting"><a:from>last tuesday</a:from></a:getUsage>'),
      { certPem: alice.certPem, keyPem: alice.keyPem, caPems: grid.caPems },
    );
    assert.equal(raw.status, 500);
    assert.equal(faultCode(raw.body), 'ACCOUNTING_BAD_TIME');
  });

  it('serves a WSDL that Python zeep reads usage with, faults included', async () => {
    const bundle = join(scratch, 'ca-bundle.pem');
    writeFileSync(bundle, caPemsIn(join(grid.certsDir, 'grid-security', 'certificates')).join('\n'));
    // Asynchronously: the container answering zeep runs in this process.
    const zeep = await promisify(execFile)(
      '/usr/bin/python3',
      [
        join(import.meta.dirname, 'zeep_accounting.py'),
        grid.baseUrl,
        join(grid.certsDir, 'user', 'usercert.pem'),
        join(grid.certsDir, 'user', 'userkey.pem'),
        bundle,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const seen = JSON.parse(zeep.stdout) as { scope: string; sites: Array<[string, number]>; records: Array<[string, string, string]>; fault: string };
    assert.deepEqual([seen.scope, seen.sites, seen.fault], ['all', [['alpha', 3]], 'ACCOUNTING_BAD_LIMIT']);
    assert.equal(seen.records.length, 3);
    assert.deepEqual([...new Set(seen.records.map(([owner]) => owner))].sort(), [ALICE, BOB]);
  });

  it('weft accounting prints the caller\'s own totals, and everyone\'s to an administrator', async () => {
    const certFile = join(scratch, 'alicecert.pem');
    const keyFile = join(scratch, 'alicekey.pem');
    writeFileSync(certFile, alice.certPem);
    writeFileSync(keyFile, alice.keyPem, { mode: 0o600 });
    const env = { ...devUserEnv(grid.certsDir), X509_USER_CERT: certFile, X509_USER_KEY: keyFile };
    const own = await runWeft(['accounting', '-r', grid.baseUrl], env);
    assert.equal(own.status, 0, own.stderr);
    assert.match(own.stdout, /^USER +JOBS +WALL_S +CPU_S +COST\n\/O=Grid\/OU=Weft\/CN=Alice Accounting +2 /);
    assert.match(own.stdout, /your own usage only/);
    assert.doesNotMatch(own.stdout, /Bob/);

    const json = await runWeft(['accounting', '-r', grid.baseUrl, '--by', 'site', '--json'], env);
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { by: string; scope: string; totals: Array<{ name: string; jobs: number }> };
    assert.deepEqual([parsed.by, parsed.scope, parsed.totals.map((row) => [row.name, row.jobs])], ['site', 'own', [['alpha', 2]]]);

    const admin = await runWeft(['accounting', '-r', grid.baseUrl], devUserEnv(grid.certsDir));
    assert.equal(admin.status, 0, admin.stderr);
    assert.match(admin.stdout, /CN=Alice Accounting +2 /);
    assert.match(admin.stdout, /CN=Bob Accounting +1 /);
    assert.ok(!admin.stdout.includes(DEV_USER), 'the dev user ran nothing');

    const bad = await runWeft(['accounting', '-r', grid.baseUrl, '--from', 'yesterday'], env);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /ACCOUNTING_BAD_TIME/);
    const usage = await runWeft(['accounting', '--by', 'planet'], env);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--by takes user, vo or site, not "planet"/);
  });
});
