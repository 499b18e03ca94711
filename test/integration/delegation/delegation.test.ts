/**
 * Delegation end to end on a test grid: the dev user delegates a proxy (the container makes the
 * key, the client signs), a job naming the EPR finds it in X509_USER_PROXY (0600, the user's DN
 * plus CN=<serial>), through the SOAP client and through `weft globus-job-run -delegate`.
 * Another user cannot use the EPR; a destroyed or expired delegation is refused; Redis never
 * holds the private key in clear.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isGridError } from '../../../services/common/errors.ts';
import { DELEGATION_KEY_PREFIX } from '../../../services/delegation/index.ts';
import { issueUserCertificate } from '../../../services/gsi/index.ts';
import { quoteRsl } from '../../../services/cli/commands/job-command-line.ts';
import { delegate, delegationTerminationTime, destroyDelegation } from '../../../services/cli/delegation-client.ts';
import { createJob, type ClientCredentials } from '../../../services/cli/gram-client.ts';
import { devUserEnv } from '../../support/dev-user-env.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { waitUntilEnded } from '../../support/run-job.ts';
import { parseJobContact } from '../../../services/cli/contact.ts';
import { runWeft } from '../../support/run-weft.ts';

const SCRIPT = 'test -r "$X509_USER_PROXY" && openssl x509 -in "$X509_USER_PROXY" -noout -subject && stat -c %a "$X509_USER_PROXY"';
const RSL = `&(executable=/bin/sh)(arguments="-c" ${quoteRsl(SCRIPT)})`;

describe('DelegationService: a job gets its owner\'s delegated proxy', () => {
  let grid: TestGrid;
  let stranger: ClientCredentials;
  const factory = () => `${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`;

  before(async () => {
    grid = await startTestGrid();
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    stranger = { ...(await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Somebody Else', days: 1 })), chainPems: [], caPems: grid.caPems };
  });
  after(async () => {
    await grid?.stop();
  });

  it('delegates, and the job reads the proxy from X509_USER_PROXY; Redis holds no key in clear', async () => {
    const delegated = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 3600 });
    assert.match(delegated.epr, /\/wsrf\/services\/DelegationService\?id=[0-9a-f-]{36}$/);
    const stored = await grid.redis.client.getBuffer(DELEGATION_KEY_PREFIX + delegated.delegationId);
    assert.ok(stored && stored.length > 0);
    assert.ok(!stored.includes('PRIVATE KEY'), 'the stored delegation shows a private key in clear');
    const left = await delegationTerminationTime(delegated.epr, grid.user);
    assert.equal(left.completed, true);
    assert.equal(left.terminationTime, delegated.terminationTime);

    const created = await createJob(factory(), RSL, grid.user, delegated.epr);
    const status = await waitUntilEnded(grid.baseUrl, parseJobContact(created.jobContact).jobKey, grid.user);
    assert.equal(status.state, 'Done', `${status.failureCode ?? ''} ${status.failureMessage ?? ''} ${status.stderr ?? ''}`);
    assert.match(status.stdout ?? '', /subject=.*CN ?= ?Dev User, ?CN ?= ?\d+/);
    assert.match(status.stdout ?? '', /^600$/m);
  });

  it('another user cannot name the EPR in a job, nor destroy it', async () => {
    const delegated = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 3600 });
    await assert.rejects(createJob(factory(), RSL, stranger, delegated.epr), (error: unknown) => isGridError(error, 'DELEGATION_NOT_OWNER'));
    await assert.rejects(destroyDelegation(delegated.epr, stranger), (error: unknown) => isGridError(error, 'DELEGATION_NOT_OWNER'));
  });

  it('a destroyed or an expired delegation is refused at submission (a too-short one is held: proxy-lifetime.test.ts)', async () => {
    const destroyed = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 3600 });
    assert.equal(await destroyDelegation(destroyed.epr, grid.user), true);
    await assert.rejects(createJob(factory(), RSL, grid.user, destroyed.epr), (error: unknown) => isGridError(error, 'DELEGATION_NOT_FOUND'));

    // Long enough to be delegated on a busy machine (X.509 times are whole seconds), then let it end.
    const expiring = await delegate(grid.baseUrl, grid.user, { lifetimeSeconds: 5 });
    await new Promise((resolve) => setTimeout(resolve, 5500));
    await assert.rejects(createJob(factory(), RSL, grid.user, expiring.epr), (error: unknown) => isGridError(error, 'DELEGATION_NOT_FOUND'));
  });

  it('weft globus-job-run -delegate hands the job a proxy', async () => {
    const run = await runWeft(
      ['globus-job-run', grid.baseUrl, '-delegate', '/bin/sh', '-c', 'openssl x509 -in "$X509_USER_PROXY" -noout -subject'],
      devUserEnv(grid.certsDir),
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /subject=.*CN ?= ?Dev User, ?CN ?= ?\d+/);
  });
});
