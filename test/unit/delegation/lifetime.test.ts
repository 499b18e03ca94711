/**
 * The credential-lifetime decisions: when a job is held for its delegated proxy, when the proxy
 * is renewed, what the job's status warns about, and when grid-proxy-info warns.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GramState, JobHistoryEntry } from '../../../services/common/job.ts';
import { credentialWarning, holdReason, latestJobEnd, renewalDue, type JobTimes } from '../../../services/delegation/index.ts';
import { shortProxyWarning } from '../../../services/cli/commands/proxy-time.ts';
import { takeDelegateFlag } from '../../../services/cli/commands/delegate-flag.ts';

const now = new Date('2026-11-23T12:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const entry = (state: GramState, minutes: number, reason?: string): JobHistoryEntry => ({ state, at: at(minutes).toISOString(), by: 'site:alpha', ...(reason ? { reason } : {}) });
const job = (state: GramState, maxWallTime: number | undefined, history: JobHistoryEntry[] = [entry('Unsubmitted', -1)]): JobTimes => ({
  state,
  history,
  spec: maxWallTime === undefined ? {} : { maxWallTime },
});

describe('credential lifetime: holding a job for its proxy', () => {
  it('holds a job whose proxy ends before maxWallTime from now, naming the time and both ways out', () => {
    const reason = holdReason(at(30), now, 60) ?? '';
    assert.ok(reason.startsWith('held: the delegated proxy ends at 2026-11-23T12:30:00.000Z, before the job could finish (maxWallTime 60 minutes)'));
    assert.match(reason, /weft delegation-refresh/);
    assert.match(reason, /weft myproxy-init -R/);
  });
  it('does not hold a job whose proxy outlives maxWallTime, or a job without maxWallTime', () => {
    assert.equal(holdReason(at(60), now, 60), undefined);
    assert.equal(holdReason(at(1), now, undefined), undefined);
  });
});

describe('credential lifetime: when to renew', () => {
  it('renews within the margin, and before a running job could end, not otherwise', () => {
    assert.equal(renewalDue(at(14), now, 900, undefined), true);
    assert.equal(renewalDue(at(16), now, 900, undefined), false);
    assert.equal(renewalDue(at(60), now, 900, at(90)), true);
    assert.equal(renewalDue(at(60), now, 900, at(45)), false);
  });
  it('counts a running job\'s maxWallTime from when it became Active; none once its program is over', () => {
    const running = job('Active', 60, [entry('Pending', -30), entry('Active', -20)]);
    assert.deepEqual(latestJobEnd(running, now), at(40));
    assert.deepEqual(latestJobEnd(job('Pending', 60), now), at(60));
    assert.equal(latestJobEnd(job('StageOut', 60), now), undefined);
    assert.equal(latestJobEnd(job('Active', undefined), now), undefined);
  });
});

describe('credential lifetime: the warning in a job\'s status', () => {
  it('repeats the hold reason while held', () => {
    const reason = holdReason(at(30), now, 60)!;
    assert.equal(credentialWarning(job('Pending', 60, [entry('Unsubmitted', -1), entry('Pending', 0, reason)]), at(30), now), reason);
  });
  it('warns of a proxy ending within the margin, before the job could end, expired or gone; not of a long one or a finished job', () => {
    assert.equal(credentialWarning(job('Active', undefined, [entry('Active', -5)]), at(10), now), 'the delegated proxy ends at 2026-11-23T12:10:00.000Z, in 10 minutes');
    assert.match(credentialWarning(job('Active', 60, [entry('Active', -5)]), at(40), now) ?? '', /before the job could finish \(maxWallTime 60 minutes\)/);
    assert.match(credentialWarning(job('Active', undefined), at(-1), now) ?? '', /expired at/);
    assert.match(credentialWarning(job('Pending', undefined), undefined, now) ?? '', /is gone/);
    assert.equal(credentialWarning(job('Active', 60, [entry('Active', -5)]), at(120), now), undefined);
    assert.equal(credentialWarning(job('Done', 60), at(1), now), undefined);
    assert.equal(credentialWarning(job('StageOut', 60), at(1), now), undefined);
  });
});

describe('grid-proxy-info: when a proxy is short', () => {
  it('warns under both an hour and a fifth of the lifetime left, and when expired; a fresh short proxy is quiet', () => {
    assert.match(shortProxyWarning(59 * 60, 12 * 3600) ?? '', /the proxy ends in 0:59:00/);
    assert.equal(shortProxyWarning(61 * 60, 12 * 3600), undefined);
    assert.equal(shortProxyWarning(50 * 60, 3600), undefined, 'a fresh one-hour proxy is not short');
    assert.match(shortProxyWarning(11 * 60, 3600) ?? '', /ends in 0:11:00/);
    assert.match(shortProxyWarning(0, 3600) ?? '', /has expired/);
  });
});

describe('delegation: -renew-from on globus-job-run/-submit', () => {
  it('names the renewable credential and implies -delegate; the program\'s own arguments are left alone', () => {
    assert.deepEqual(takeDelegateFlag(['h', '-renew-from', 'alice', '/bin/echo', '-renew-from']), { args: ['h', '/bin/echo', '-renew-from'], delegate: true, renewFrom: 'alice' });
  });
});
