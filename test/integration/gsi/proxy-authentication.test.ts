/**
 * Proxies against the real container over HTTPS: one made by GCT's grid-proxy-init, and one
 * made by NorduGrid ARC's arcproxy, each runs a job owned by the user behind it; one made by `weft grid-proxy-init` is what the CLI then sends;
 * a limited proxy may look at jobs but not start them; broken chains are refused with their
 * code, and nothing is stored.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ClientCredentials } from '../../../services/cli/gram-client.ts';
import { createProxy, readProxyFile } from '../../../services/gsi/index.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { createJobEnvelope, faultCode, rawRequest } from '../../support/raw-soap.ts';
import { runToEnd, submit, waitUntilEnded } from '../../support/run-job.ts';
import { runWeft } from '../../support/run-weft.ts';
import { gct } from '../../unit/gsi/support/proxy-fixtures.ts';

const DEV_USER = '/O=Grid/OU=Weft/CN=Dev User';

describe('proxy credentials at the container', () => {
  let grid: TestGrid;
  let home: string;
  let userCert: string;
  let userKey: string;
  let trustDir: string;

  before(async () => {
    grid = await startTestGrid();
    home = mkdtempSync(join(tmpdir(), 'weft-proxy-auth-'));
    userCert = join(grid.certsDir, 'user', 'usercert.pem');
    userKey = join(grid.certsDir, 'user', 'userkey.pem');
    trustDir = join(grid.certsDir, 'grid-security', 'certificates');
  });
  after(async () => {
    await grid?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function proxyCredentials(file: string): Promise<ClientCredentials> {
    const proxy = await readProxyFile(file);
    return { certPem: proxy.certPem, keyPem: proxy.keyPem, chainPems: proxy.chainPems, caPems: grid.caPems };
  }

  function gctProxy(name: string, ...flags: string[]): string {
    const out = join(home, name);
    const made = gct('grid-proxy-init', ['-q', '-rfc', ...flags, '-out', out], {
      X509_USER_CERT: userCert,
      X509_USER_KEY: userKey,
      X509_CERT_DIR: trustDir,
      HOME: home,
    });
    assert.equal(made.status, 0, made.stderr);
    return out;
  }

  const jobKeys = async () => (await grid.redis.client.keys('weft:job:*')).sort();

  it("runs a job with a proxy from GCT's grid-proxy-init, owned by the user behind the proxy", async () => {
    const credentials = await proxyCredentials(gctProxy('gct-full.pem'));
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/echo)(arguments=via GCT proxy)', credentials);
    assert.equal(status.state, 'Done');
    assert.equal(status.stdout, 'via GCT proxy\n');
    assert.equal(status.owner, DEV_USER);
  });

  it("runs a job with a proxy from ARC's arcproxy, owned by the user behind the proxy", async () => {
    const out = join(home, 'arc.pem');
    const config = join(home, 'arc-client.conf');
    writeFileSync(config, '[common]\n'); // an empty ARC client configuration: no VOMS, no defaults
    const made = spawnSync(
      'arcproxy',
      ['-z', config, '-C', userCert, '-K', userKey, '-T', trustDir, '-P', out, '-c', 'validityPeriod=1h'],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home }, timeout: 60_000 },
    );
    assert.equal(made.status, 0, made.stderr + made.stdout);
    const credentials = await proxyCredentials(out);
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/echo)(arguments=via ARC proxy)', credentials);
    assert.equal(status.state, 'Done');
    assert.equal(status.stdout, 'via ARC proxy\n');
    assert.equal(status.owner, DEV_USER);
  });

  it('runs a job with a proxy of a proxy made here, owned by the end entity', async () => {
    const user = { certPem: grid.user.certPem, key: createPrivateKey(grid.user.keyPem) };
    const first = await createProxy({ issuerCertPem: user.certPem, issuerKey: user.key });
    const second = await createProxy({
      issuerCertPem: first.certPem,
      issuerKey: createPrivateKey(first.keyPem),
      issuerChainPems: first.chainPems,
      lifetimeSeconds: 600,
    });
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/echo)(arguments=two deep)', {
      certPem: second.certPem,
      keyPem: second.keyPem,
      chainPems: second.chainPems,
      caPems: grid.caPems,
    });
    assert.equal(status.owner, DEV_USER);
    assert.equal(status.stdout, 'two deep\n');
  });

  it('refuses to start a job for a limited proxy (GSI_LIMITED_PROXY), stores nothing, yet lets it read status', async () => {
    const full = await proxyCredentials(gctProxy('gct-full-2.pem'));
    const job = await submit(grid.baseUrl, '&(executable=/bin/echo)(arguments=mine)', full);
    await waitUntilEnded(grid.baseUrl, job.jobKey, full);
    const stored = await jobKeys();
    const limited = await proxyCredentials(gctProxy('gct-limited.pem', '-limited'));
    await assert.rejects(submit(grid.baseUrl, '&(executable=/bin/echo)(arguments=no)', limited), {
      code: 'GSI_LIMITED_PROXY',
      message: /limited proxy cannot start jobs/,
    });
    const answer = await rawRequest(
      `${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`,
      createJobEnvelope('&(executable=/bin/echo)'),
      { certPem: [limited.certPem, ...limited.chainPems].join(''), keyPem: limited.keyPem, caPems: grid.caPems },
    );
    assert.equal(faultCode(answer.body), 'GSI_LIMITED_PROXY', answer.body);
    assert.deepEqual(await jobKeys(), stored, 'nothing was stored for the refused jobs');
    const seen = await waitUntilEnded(grid.baseUrl, job.jobKey, limited);
    assert.equal(seen.owner, DEV_USER);
  });

  it('refuses an expired proxy and one sent without its user certificate, with their codes', async () => {
    const expired = await createProxy({
      issuerCertPem: grid.user.certPem,
      issuerKey: createPrivateKey(grid.user.keyPem),
      now: new Date(Date.now() - 86_400_000),
      lifetimeSeconds: 3600,
    });
    const post = (certPem: string, keyPem: string) =>
      rawRequest(`${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`, createJobEnvelope('&(executable=/bin/echo)'), {
        certPem,
        keyPem,
        caPems: grid.caPems,
      });
    const stored = await jobKeys();
    const old = await post([expired.certPem, ...expired.chainPems].join(''), expired.keyPem);
    assert.equal(faultCode(old.body), 'GSI_EXPIRED', old.body);
    assert.match(old.body, /<message>&#34;\/O=Grid\/OU=Weft\/CN=Dev User\/CN=\d+&#34; expired at/);
    const alone = await post(expired.certPem, expired.keyPem);
    assert.equal(faultCode(alone.body), 'GSI_BAD_CHAIN_ORDER', alone.body);
    assert.deepEqual(await jobKeys(), stored);
  });

  it('bin/weft sends the proxy that weft grid-proxy-init wrote: a limited one is refused, a full one runs', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      X509_USER_PROXY: join(home, 'x509up_cli'),
      X509_CERT_DIR: trustDir,
      WEFT_CERTS_DIR: join(home, 'no-dev-pki'),
    };
    const init = (...flags: string[]) =>
      runWeft(['grid-proxy-init', '-q', '-cert', userCert, '-key', userKey, ...flags], env);
    assert.equal((await init('-limited')).status, 0);
    const refused = await runWeft(['globus-job-run', grid.baseUrl, '/bin/echo', 'no'], env);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /GSI_LIMITED_PROXY/);
    assert.equal((await init()).status, 0);
    const ran = await runWeft(['globus-job-run', grid.baseUrl, '/bin/echo', 'hello from a proxy'], env);
    assert.equal(ran.status, 0, ran.stderr);
    assert.equal(ran.stdout, 'hello from a proxy\n');
  });
});
