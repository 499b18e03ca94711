/**
 * Per-site grid-mapfiles on a test grid, as root (as CI runs): a local account made for the test
 * with useradd, sites started with WEFT_SITE_GRID_MAPFILE. A mapped owner's job runs as the
 * mapped account (id, its files, its delegated proxy); the broker places a job only on a site
 * whose map lists its owner and otherwise keeps it Pending saying so, until the map is edited;
 * a site refuses an owner its map does not list even when a job reaches it, and a map naming
 * root fails the job. Skipped, saying so, when not run as root.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { quoteRsl } from '../../../services/cli/commands/job-command-line.ts';
import { delegate } from '../../../services/cli/delegation-client.ts';
import { analyzeJobRemote, createJob, jobStatusReader, type ClientCredentials, type JobStatus } from '../../../services/cli/gram-client.ts';
import { parseJobContact } from '../../../services/cli/contact.ts';
import { createRedisJobStore } from '../../../services/common/job-store.ts';
import { QUEUE_PREFIX, siteQueueName } from '../../../services/common/redis-keys.ts';
import { issueUserCertificate } from '../../../services/gsi/index.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { runToEnd, submit, waitUntilEnded } from '../../support/run-job.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const NOT_ROOT = 'needs root: it creates a local account with useradd and runs jobs as it (CI runs as root)';

const DEV_DN = '/O=Grid/OU=Weft/CN=Dev User';
const STRANGER_DN = '/O=Grid/OU=Weft/CN=Somebody Else';
const NOBODY_DN = '/O=Grid/OU=Weft/CN=Listed Nowhere';
const ROOT_DN = '/O=Grid/OU=Weft/CN=Would Be Root';

const reasons = (status: JobStatus) => (status.history?.entry ?? []).map((entry) => entry.reason ?? '');

describe('grid-mapfile: jobs run as the mapped account, only where the map admits the owner', { skip: isRoot ? false : NOT_ROOT }, () => {
  const account = `weft-test-${randomBytes(3).toString('hex')}`;
  let accountUid = -1;
  let grid: TestGrid;
  let dir: string;
  let stranger: ClientCredentials;
  let nobody: ClientCredentials;
  let rootUser: ClientCredentials;
  const mapOf = (site: string) => join(dir, `${site}.grid-mapfile`);
  const workRootOf = (site: string) => join(dir, 'work', site);
  const jobService = () => `${grid.baseUrl}/wsrf/services/ManagedJobService`;

  before(async () => {
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', account]);
    accountUid = Number((await run('id', ['-u', account])).stdout.trim());
    // Job directories must be reachable by the account: every directory above them lets others pass.
    dir = mkdtempSync(join(tmpdir(), 'weft-gridmap-'));
    chmodSync(dir, 0o711);
    writeFileSync(mapOf('mapped'), `# the dev user runs as the test account here\n"${DEV_DN}" ${account},other\n`);
    writeFileSync(mapOf('strangers'), `"${STRANGER_DN}" ${account}\n`);
    writeFileSync(mapOf('rootmap'), `"${ROOT_DN}" root\n`);
    const site = (name: string) => ({ name, slots: 2, knobs: { gridMapfile: mapOf(name), workDir: workRootOf(name) } });
    grid = await startTestGrid({ sites: [site('mapped'), site('strangers'), site('rootmap')] });
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    const user = async (subjectDn: string) => ({ ...(await issueUserCertificate(ca, { subjectDn, days: 1 })), chainPems: [], caPems: grid.caPems });
    [stranger, nobody, rootUser] = await Promise.all([user(STRANGER_DN), user(NOBODY_DN), user(ROOT_DN)]);
  });
  after(async () => {
    await grid?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await run('userdel', [account]).catch(() => undefined);
  });

  it('runs a mapped owner\'s job as the mapped account, its files the account\'s own', async () => {
    const status = await runToEnd(grid.baseUrl, '&(executable=/usr/bin/id)(arguments=-un)', grid.user);
    assert.equal(status.state, 'Done', `${status.failureCode ?? ''} ${status.failureMessage ?? ''}`);
    assert.equal(status.site, 'mapped');
    assert.equal(status.stdout, `${account}\n`);
    const workDir = join(workRootOf('mapped'), status.jobKey);
    const info = statSync(workDir);
    assert.equal(info.uid, accountUid);
    assert.equal(info.mode & 0o777, 0o700);
    assert.equal(statSync(join(workDir, 'stdout')).uid, accountUid);
    // Others may pass through the work root to their own directories, but not list it.
    assert.equal(statSync(workRootOf('mapped')).mode & 0o777, 0o711);
  });

  it('gives the job its delegated proxy readable by the account alone, and says who it is', async () => {
    const script =
      'id -un; stat -c "%U %a" "$X509_USER_PROXY"; head -c 1 "$X509_USER_PROXY" >/dev/null && echo readable; ' +
      'echo "USER=$USER LOGNAME=$LOGNAME"; test "$HOME" = "$(pwd)" && echo home-is-workdir';
    const delegated = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 3600 });
    const created = await createJob(`${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`, `&(executable=/bin/sh)(arguments="-c" ${quoteRsl(script)})`, grid.user, delegated.epr);
    const status = await waitUntilEnded(grid.baseUrl, parseJobContact(created.jobContact).jobKey, grid.user);
    assert.equal(status.state, 'Done', `${status.failureCode ?? ''} ${status.failureMessage ?? ''} ${status.stderr ?? ''}`);
    assert.equal(status.stdout, `${account}\n${account} 600\nreadable\nUSER=${account} LOGNAME=${account}\nhome-is-workdir\n`);
  });

  it("never hands a job, as its stdin, a file its account could not read", async () => {
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/cat)(stdin=../../../../../../../../etc/shadow)', grid.user);
    assert.equal(status.state, 'Failed');
    assert.equal(status.failureCode, 'GRAM_JOB_EXECUTION_FAILED');
    assert.match(status.failureMessage ?? '', new RegExp(`not a file in its working directory that account ${account} may read`));
    assert.ok(!(status.stdout ?? '').includes('root:'));
  });

  it('places each owner only on a site whose map lists it', async () => {
    const status = await runToEnd(grid.baseUrl, '&(executable=/usr/bin/id)(arguments=-un)', stranger);
    assert.equal(status.state, 'Done', `${status.failureCode ?? ''} ${status.failureMessage ?? ''}`);
    assert.equal(status.site, 'strangers');
    assert.equal(status.stdout, `${account}\n`);
  });

  it('keeps a job whose owner no map lists Pending, saying why, and places it once a map is edited to list it', async () => {
    const job = await submit(grid.baseUrl, '&(executable=/usr/bin/id)(arguments=-un)', nobody);
    const read = await jobStatusReader(jobService(), nobody);
    const deadline = Date.now() + 5_000;
    let status = await read(job.jobKey);
    while (!reasons(status).some((reason) => reason.startsWith('waiting: '))) {
      if (Date.now() > deadline) assert.fail(`not waiting: ${reasons(status).join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await read(job.jobKey);
    }
    assert.equal(status.state, 'Pending');
    assert.ok(reasons(status).includes("waiting: the site's grid-mapfile rejected 3 of 3 sites"), reasons(status).join(' | '));
    const analysis = await analyzeJobRemote(jobService(), job.jobKey, nobody);
    assert.deepEqual(
      analysis.checks.map((check) => [check.name, check.rejected]),
      [["the site's grid-mapfile", 3]],
    );
    assert.match(analysis.sites.find((site) => site.name === 'strangers')?.rejectedBy.join('\n') ?? '', /the site's grid-mapfile: it does not list \/O=Grid\/OU=Weft\/CN=Listed Nowhere/);

    // The site re-reads its map when the file changes, and brokers learn of it with its next refresh.
    writeFileSync(mapOf('strangers'), `"${STRANGER_DN}" ${account}\n"${NOBODY_DN}" ${account}\n`);
    const ended = await waitUntilEnded(grid.baseUrl, job.jobKey, nobody);
    assert.equal(ended.state, 'Done', `${ended.failureCode ?? ''} ${ended.failureMessage ?? ''}`);
    assert.equal(ended.site, 'strangers');
    assert.equal(ended.stdout, `${account}\n`);
  });

  it('refuses an owner its map does not list even when a job reaches the site, and never runs it', async () => {
    // As if a broker had placed it before the map changed: straight onto the site's queue.
    const jobs = createRedisJobStore(grid.redis.client);
    const jobId = `gridmap-${randomBytes(4).toString('hex')}`;
    await jobs.create({ id: jobId, owner: STRANGER_DN, spec: { executable: '/usr/bin/touch', arguments: [join(dir, 'ran')], environment: {}, count: 1 }, submittedAt: new Date().toISOString() });
    await jobs.transition(jobId, { state: 'Pending', by: 'test', reason: 'placed by hand', fields: { site: 'mapped' } });
    const queue = new Queue(siteQueueName('mapped'), { connection: grid.redis.client, prefix: QUEUE_PREFIX });
    try {
      await queue.add('run', { jobId }, { jobId });
    } finally {
      await queue.close();
    }
    const deadline = Date.now() + 10_000;
    let job = await jobs.get(jobId);
    while (job?.state !== 'Failed') {
      if (Date.now() > deadline) assert.fail(`job still ${job?.state}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await jobs.get(jobId);
    }
    assert.equal(job.failureCode, 'GSI_NOT_AUTHORIZED');
    assert.equal(
      job.failureMessage,
      `the site mapped does not admit "${STRANGER_DN}": the DN is not in its grid-mapfile; ask the site's administrator to add your DN to its grid-mapfile`,
    );
    assert.ok(!job.history.some((entry) => entry.state === 'Active' || entry.state === 'StageIn'));
    assert.throws(() => statSync(join(dir, 'ran')), { code: 'ENOENT' });
  });

  it('fails a job whose owner the map gives root, and never runs it as root', async () => {
    const status = await runToEnd(grid.baseUrl, `&(executable=/usr/bin/touch)(arguments=${join(dir, 'as-root')})`, rootUser);
    assert.equal(status.state, 'Failed');
    assert.equal(status.site, 'rootmap');
    assert.equal(status.failureCode, 'SITE_ACCOUNT_IS_ROOT');
    assert.match(status.failureMessage ?? '', /maps the job's owner to "root", which is root; jobs never run as root/);
    assert.throws(() => statSync(join(dir, 'as-root')), { code: 'ENOENT' });
  });
});
