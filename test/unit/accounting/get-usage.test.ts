/**
 * The AccountingService's operations without a container: who sees whose usage, and which bad
 * requests are refused with which code before anything is read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UsageScope, UsageTotal, UsageWindow } from '../../../services/broker/index.ts';
import type { AccountingDeps } from '../../../services/accounting/index.ts';
import { getUsage } from '../../../services/accounting/operations/get-usage.ts';
import { listUsageRecords } from '../../../services/accounting/operations/list-usage-records.ts';
import type { CallContext } from '../../../services/common/call-context.ts';
import { silentLogger } from '../../../services/common/logger.ts';

const ALICE = '/O=Grid/OU=Weft/CN=Alice';
const ADMIN = '/O=Grid/OU=Weft/CN=Auditor';
const context = (identity: string): CallContext => ({ identity, logger: silentLogger(), requestId: 'r', baseUrl: 'https://localhost:8443' });

function fakeDeps() {
  const reads: Array<{ kind: string; scope: UsageScope; window?: UsageWindow; limit?: number }> = [];
  const row: UsageTotal = { name: 'x', jobs: 1, wallSeconds: 1, cpuSeconds: 1, cost: 0 };
  const deps: AccountingDeps = {
    isAdministrator: (dn) => Promise.resolve(dn === ADMIN),
    usage: {
      totals: (_by, scope) => (reads.push({ kind: 'totals', scope }), Promise.resolve([row])),
      sum: (_by, window, scope) => (reads.push({ kind: 'sum', scope, window }), Promise.resolve([row])),
      list: (window, limit, scope) => (reads.push({ kind: 'list', scope, window, limit }), Promise.resolve([])),
    },
  };
  return { deps, reads };
}

const refusal = (code: string) => (error: unknown) => (error as { code?: string }).code === code;

describe('AccountingService operations', () => {
  it("reads an ordinary caller's own usage only, and everyone's for an administrator", async () => {
    const { deps, reads } = fakeDeps();
    assert.equal((await getUsage(deps)({}, context(ALICE))).scope, 'own');
    assert.equal((await getUsage(deps)({ groupBy: 'site' }, context(ADMIN))).scope, 'all');
    assert.deepEqual(reads.map((read) => [read.kind, read.scope.owner]), [['totals', ALICE], ['totals', undefined]]);
  });

  it('sums over the window when one is given', async () => {
    const { deps, reads } = fakeDeps();
    const answer = await getUsage(deps)({ from: '2026-11-23T06:00:00Z', to: new Date('2026-11-23T07:00:00+01:00') }, context(ALICE));
    assert.equal(answer.from, '2026-11-23T06:00:00.000Z');
    assert.deepEqual(reads[0]?.window, { fromMs: Date.parse('2026-11-23T06:00:00Z'), toMs: Date.parse('2026-11-23T06:00:00Z') });
  });

  it('refuses bad input with a stable code, reading nothing', async () => {
    const { deps, reads } = fakeDeps();
    const call = getUsage(deps);
    await assert.rejects(call({ from: 'yesterday' }, context(ALICE)), refusal('ACCOUNTING_BAD_TIME'));
    await assert.rejects(call({ from: '2026-11-23T06:00:00' }, context(ALICE)), refusal('ACCOUNTING_BAD_TIME'));
    await assert.rejects(call({ from: '2026-11-23T07:00:00Z', to: '2026-11-23T06:00:00Z' }, context(ALICE)), refusal('ACCOUNTING_BAD_RANGE'));
    await assert.rejects(call({ groupBy: 'planet' }, context(ALICE)), refusal('ACCOUNTING_BAD_GROUP_BY'));
    for (const limit of [0, 1001, 2.5, 'many']) {
      await assert.rejects(listUsageRecords(deps)({ limit }, context(ALICE)), refusal('ACCOUNTING_BAD_LIMIT'));
    }
    assert.equal(reads.length, 0);
  });

  it('lists 100 records unless told otherwise', async () => {
    const { deps, reads } = fakeDeps();
    await listUsageRecords(deps)({}, context(ALICE));
    await listUsageRecords(deps)({ limit: '7' }, context(ADMIN));
    assert.deepEqual(reads.map((read) => [read.limit, read.scope.owner]), [[100, ALICE], [7, undefined]]);
  });
});
