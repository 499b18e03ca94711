/**
 * Credential lifetime on a test grid, as a user meets it: a running job's delegated proxy is
 * renewed from a credential stored with `weft myproxy-init -R` and the job sees the new proxy in
 * its own x509up; a job whose proxy is too short for its maxWallTime is held, saying why in its
 * status, and runs once the delegation is refreshed; a wrong renewer DN, another owner's
 * credential and a pass-phrase logon do not renew anything; grid-proxy-info warns of a short
 * proxy on stderr only.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quoteRsl } from '../../../services/cli/commands/job-command-line.ts';
import { parseJobContact } from '../../../services/cli/contact.ts';
import { delegate, refreshDelegation } from '../../../services/cli/delegation-client.ts';
import { createJob, jobStatusReader, type ClientCredentials, type JobStatus } from '../../../services/cli/gram-client.ts';
import { createProxy, issueUserCertificate, writeProxyFile } from '../../../services/gsi/index.ts';
import { devUserEnv } from '../../support/dev-user-env.ts';
import { GRID_SERVICES_DN, startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { waitUntilEnded } from '../../support/run-job.ts';
import { runWeft } from '../../support/run-weft.ts';

const MARGIN_SECONDS = 15;

async function waitForStatus(grid: TestGrid, jobKey: string, credentials: ClientCredentials, done: (status: JobStatus) => boolean, timeoutMs = 10_000): Promise<JobStatus> {
  const read = await jobStatusReader(`${grid.baseUrl}/wsrf/services/ManagedJobService`, credentials);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await read(jobKey);
    if (done(status)) return status;
    if (Date.now() > deadline) throw new Error(`job ${jobKey}: condition not met after ${timeoutMs} ms; last status ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const reasons = (status: JobStatus) => (status.history?.entry ?? []).map((entry) => entry.reason ?? '');

describe('credential lifetime: renewal, holds and warnings', () => {
  let grid: TestGrid;
  let stranger: ClientCredentials;
  let home: string;
  const factory = () => `${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`;
  const userEnv = () => ({ ...devUserEnv(grid.certsDir), X509_USER_PROXY: join(home, 'unused-proxy') });
  const submit = async (rsl: string, epr: string, credentials: ClientCredentials = grid.user) => {
    const created = await createJob(factory(), rsl, credentials, epr);
    return { contact: created.jobContact, jobKey: parseJobContact(created.jobContact).jobKey };
  };

  before(async () => {
    grid = await startTestGrid({ broker: { proxyMarginSeconds: MARGIN_SECONDS, proxyCheckIntervalMs: 250 } });
    home = mkdtempSync(join(tmpdir(), 'weft-lifetime-'));
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    stranger = { ...(await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Somebody Else', days: 1 })), chainPems: [], caPems: grid.caPems };
    // The dev user stores a credential the grid services may renew from (MyProxy's -R).
    const init = await runWeft(['myproxy-init', '-s', grid.baseUrl, '-l', 'renew-me', '-c', '2', '-t', '1', '--renewable_by', GRID_SERVICES_DN], userEnv());
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, new RegExp(`It may be renewed by ${GRID_SERVICES_DN} only`));
  });
  after(async () => {
    await grid?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('renews a running job\'s short proxy from the renewable credential: the job reads a later notAfter from its x509up', async () => {
    // 20 s of proxy and a 15 s margin: the broker renews about 5 s after delegation, while the job runs.
    const delegated = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 20, renewFrom: 'renew-me' });
    const script = 'openssl x509 -in "$X509_USER_PROXY" -noout -enddate; sleep 10; openssl x509 -in "$X509_USER_PROXY" -noout -enddate';
    const job = await submit(`&(executable=/bin/sh)(arguments="-c" ${quoteRsl(script)})`, delegated.epr);
    const status = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user);
    assert.equal(status.state, 'Done', `${status.failureMessage ?? ''} ${status.stderr ?? ''}`);
    const ends = [...(status.stdout ?? '').matchAll(/notAfter=(.+)/g)].map((match) => Date.parse(match[1]!));
    assert.equal(ends.length, 2, status.stdout);
    assert.ok(Math.abs(ends[0]! - Date.parse(delegated.terminationTime)) < 2000, 'the job first sees the delegated proxy');
    assert.ok(ends[1]! - ends[0]! > 30 * 60_000, `the rewritten proxy ends later (${new Date(ends[0]!).toISOString()} -> ${new Date(ends[1]!).toISOString()})`);
    const renewed = reasons(status).find((reason) => reason.startsWith('proxy renewed until'));
    assert.match(renewed ?? '', /^proxy renewed until \S+ from the repository credential renew-me$/, JSON.stringify(reasons(status)));
  });

  it('warns a running job whose proxy ends within the margin and cannot be renewed, in its history and its status', async () => {
    const delegated = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 20 });
    const job = await submit('&(executable=/bin/sleep)(arguments=8)', delegated.epr);
    const running = await waitForStatus(grid, job.jobKey, grid.user, (status) => status.state === 'Active');
    assert.match(running.credentialWarning ?? '', /^the delegated proxy ends at \S+, in 1 minute$/);
    const ended = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user);
    const warnings = reasons(ended).filter((reason) => reason.startsWith('warning:'));
    assert.equal(warnings.length, 1, JSON.stringify(reasons(ended)));
    assert.match(warnings[0]!, /^warning: the delegated proxy ends at \S+ and was not renewed \(the delegation names no renewable credential \(renewFrom\)\); refresh the delegation/);
  });

  it('holds a job whose proxy is too short for its maxWallTime, with the reason in its status, and places it once the delegation is refreshed', async () => {
    const delegated = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 600 });
    const job = await submit('&(executable=/bin/echo)(arguments=ran)(maxWallTime=60)', delegated.epr);
    const held = await waitForStatus(grid, job.jobKey, grid.user, (status) => status.credentialWarning?.startsWith('held:') === true);
    assert.equal(held.state, 'Pending');
    assert.match(held.credentialWarning ?? '', /^held: the delegated proxy ends at \S+, before the job could finish \(maxWallTime 60 minutes\); refresh the delegation/);
    assert.match(held.credentialWarning ?? '', /weft myproxy-init -R/);
    // The command line: the state word on stdout as before, the warning on stderr.
    const cli = await runWeft(['globus-job-status', job.contact], userEnv());
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(cli.stdout, 'PENDING\n');
    assert.match(cli.stderr, /^weft: warning: held: the delegated proxy ends at/);
    const json = await runWeft(['globus-job-status', '--json', job.contact], userEnv());
    assert.match((JSON.parse(json.stdout) as { credentialWarning?: string }).credentialWarning ?? '', /^held:/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await waitForStatus(grid, job.jobKey, grid.user, () => true)).state, 'Pending', 'still held');

    await refreshDelegation(delegated.epr, grid.user, { lifetimeSeconds: 2 * 3600 });
    const ended = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user);
    assert.equal(ended.state, 'Done', ended.failureMessage);
    assert.equal(ended.stdout, 'ran\n');
    assert.equal(ended.credentialWarning, undefined);
  });

  it('a short proxy with a renewable credential is renewed at placement instead of held', async () => {
    const delegated = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 600, renewFrom: 'renew-me' });
    const job = await submit('&(executable=/bin/echo)(arguments=ran)(maxWallTime=30)', delegated.epr);
    const ended = await waitUntilEnded(grid.baseUrl, job.jobKey, grid.user);
    assert.equal(ended.state, 'Done', ended.failureMessage);
    assert.ok(reasons(ended).some((reason) => reason.startsWith('proxy renewed until')), JSON.stringify(reasons(ended)));
    assert.ok(!reasons(ended).some((reason) => reason.startsWith('held:')));
  });

  it('does not renew for a wrong renewer DN, nor from another owner\'s credential; a renewable credential is not retrieved with a pass phrase', async () => {
    const init = await runWeft(['myproxy-init', '-s', grid.baseUrl, '-l', 'wrong-renewer', '-c', '2', '-R', '/O=Grid/OU=Weft/CN=host/elsewhere'], userEnv());
    assert.equal(init.status, 0, init.stderr);
    const wrong = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 600, renewFrom: 'wrong-renewer' });
    const job = await submit('&(executable=/bin/echo)(arguments=ran)(maxWallTime=60)', wrong.epr);
    const held = await waitForStatus(grid, job.jobKey, grid.user, (status) => status.credentialWarning?.startsWith('held:') === true);
    assert.equal(held.state, 'Pending');
    assert.match(held.credentialWarning ?? '', /^held: .*\(not renewed: MYPROXY_NOT_RENEWER: the credential wrong-renewer may be renewed by \/O=Grid\/OU=Weft\/CN=host\/elsewhere only/);

    // Somebody else names the dev user's renewable credential in their own delegation.
    const theirs = await delegate(grid.baseUrl, stranger, { lifetimeSeconds: 600, renewFrom: 'renew-me' });
    const stolen = await submit('&(executable=/bin/echo)(arguments=ran)(maxWallTime=60)', theirs.epr, stranger);
    const refused = await waitForStatus(grid, stolen.jobKey, stranger, (status) => status.credentialWarning?.startsWith('held:') === true);
    assert.match(refused.credentialWarning ?? '', /not renewed: MYPROXY_NOT_RENEWER: the credential renew-me belongs to another identity/);

    const logon = await runWeft(['myproxy-logon', '-s', grid.baseUrl, '-l', 'renew-me', '-o', join(home, 'got'), '-S'], userEnv(), 'any pass phrase\n');
    assert.equal(logon.status, 1);
    assert.match(logon.stderr, /MYPROXY_RENEW_ONLY/);
  });
});

describe('grid-proxy-info: a warning for a short proxy, on stderr only', () => {
  let dir: string;
  let grid: TestGrid;
  before(async () => {
    grid = await startTestGrid({ sites: [] });
    dir = mkdtempSync(join(tmpdir(), 'weft-proxy-info-'));
  });
  after(async () => {
    await grid?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function proxyFile(name: string, lifetimeSeconds: number, startedSecondsAgo: number): Promise<string> {
    const proxy = await createProxy({
      issuerCertPem: grid.user.certPem,
      issuerKey: createPrivateKey(grid.user.keyPem),
      lifetimeSeconds,
      now: new Date(Date.now() - startedSecondsAgo * 1000),
    });
    const path = join(dir, name);
    await writeProxyFile(path, proxy);
    return path;
  }

  it('warns when under an hour and a fifth of the lifetime is left, stays silent for a long proxy, and keeps GCT\'s output and exit codes', async () => {
    const env = devUserEnv(grid.certsDir);
    const short = await proxyFile('short', 600, 540); // one minute left of ten
    const long = await proxyFile('long', 12 * 3600, 0);

    const info = await runWeft(['grid-proxy-info', '-f', short], env);
    assert.equal(info.status, 0);
    assert.match(info.stderr, /^weft: warning: the proxy ends in 0:0[01]:\d\d: make a new one before it does \(weft grid-proxy-init\)\n$/);
    assert.match(info.stdout, /^subject  : .*\ntimeleft : 0:0[01]:\d\d\n$/s);
    const timeleft = await runWeft(['grid-proxy-info', '-f', short, '-timeleft'], env);
    assert.match(timeleft.stdout, /^\d{1,2}\n$/);
    assert.match(timeleft.stderr, /weft: warning:/);
    // -exists is a quiet test: exit codes as GCT, nothing on either stream.
    const exists = await runWeft(['grid-proxy-info', '-f', short, '-exists'], env);
    assert.deepEqual([exists.status, exists.stdout, exists.stderr], [0, '', '']);
    const notLongEnough = await runWeft(['grid-proxy-info', '-f', short, '-exists', '-valid', '0:05'], env);
    assert.deepEqual([notLongEnough.status, notLongEnough.stdout, notLongEnough.stderr], [1, '', '']);

    const quiet = await runWeft(['grid-proxy-info', '-f', long], env);
    assert.equal(quiet.status, 0);
    assert.equal(quiet.stderr, '');
    assert.match(quiet.stdout, /timeleft : 1[12]:\d\d:\d\d\n$/);
  });
});
