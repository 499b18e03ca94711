import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getCredential, repositoryServiceUrl } from '../../../services/cli/repository-client.ts';
import { isGridError } from '../../../services/common/errors.ts';
import { readProxyFile } from '../../../services/gsi/index.ts';
import { devUserEnv } from '../../support/dev-user-env.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { runWeft } from '../../support/run-weft.ts';

describe('CredentialRepositoryService with weft myproxy-init / myproxy-logon', () => {
  let grid: TestGrid;
  let home: string;
  before(async () => {
    grid = await startTestGrid();
    home = mkdtempSync(join(tmpdir(), 'weft-myproxy-it-'));
  });
  after(async () => {
    await grid.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('stores sealed, logs on elsewhere, the proxy verifies and runs a job as the user; a wrong pass phrase gets nothing', async () => {
    const trustDir = join(grid.certsDir, 'grid-security', 'certificates');
    const userEnv = { ...devUserEnv(grid.certsDir), X509_USER_PROXY: join(home, 'unused-proxy') };
    const init = await runWeft(['myproxy-init', '-s', grid.baseUrl, '-l', 'alice', '-c', '24', '-t', '2', '-S'], userEnv, 'correct horse battery\n');
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /for user alice now exists/);

    const stored = await grid.redis.client.hgetall('weft:myproxy:cred:alice');
    assert.ok(stored.data && stored.owner === '/O=Grid/OU=Weft/CN=Dev User', JSON.stringify(stored.owner));
    assert.ok(!JSON.stringify(stored).includes('PRIVATE KEY'));
    assert.ok(!Buffer.from(stored.data, 'base64').toString('latin1').includes('PRIVATE KEY'));

    const out = join(home, 'x509up_logon');
    const refused = await runWeft(['myproxy-logon', '-s', grid.baseUrl, '-l', 'alice', '-o', out, '-S'], userEnv, 'wrong horse battery\n');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /MYPROXY_BAD_PASSPHRASE/);
    assert.equal(existsSync(out), false);

    const logon = await runWeft(['myproxy-logon', '-s', grid.baseUrl, '-l', 'alice', '-t', '12', '-o', out, '-S'], userEnv, 'correct horse battery\n');
    assert.equal(logon.status, 0, logon.stderr);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const proxy = await readProxyFile(out);
    assert.equal(proxy.chainPems.length, 2, 'the stored proxy and the user certificate');
    const hours = (Date.parse(proxy.certs[0]!.validTo) - Date.now()) / 3600_000;
    assert.ok(hours <= 2 && hours > 1.9, `capped by -t 2 at init, got ${hours} h`);
    writeFileSync(join(home, 'leaf.pem'), proxy.certPem);
    writeFileSync(join(home, 'chain.pem'), proxy.chainPems.join(''));
    const verified = execFileSync('openssl', ['verify', '-allow_proxy_certs', '-CApath', trustDir, '-untrusted', join(home, 'chain.pem'), join(home, 'leaf.pem')], { encoding: 'utf8' });
    assert.match(verified, /: OK/);

    const proxyEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, X509_USER_PROXY: out, X509_CERT_DIR: trustDir, WEFT_CERTS_DIR: join(home, 'no-dev-pki') };
    const ran = await runWeft(['globus-job-run', grid.baseUrl, '/bin/echo', 'via myproxy'], proxyEnv);
    assert.equal(ran.status, 0, ran.stderr);
    assert.equal(ran.stdout, 'via myproxy\n');
    const submitted = await runWeft(['globus-job-submit', grid.baseUrl, '/bin/echo', 'via myproxy'], proxyEnv);
    assert.equal(submitted.status, 0, submitted.stderr);
    const status = await runWeft(['globus-job-status', '--json', submitted.stdout.trim()], proxyEnv);
    assert.equal(status.status, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { owner: string }).owner, '/O=Grid/OU=Weft/CN=Dev User');
  });

  it('three wrong pass phrases lock the user name out (2^n seconds), even for the right one', async () => {
    const userEnv = { ...devUserEnv(grid.certsDir), X509_USER_PROXY: join(home, 'unused-proxy') };
    const init = await runWeft(['myproxy-init', '-s', grid.baseUrl, '-l', 'bob', '-S'], userEnv, 'bob pass phrase\n');
    assert.equal(init.status, 0, init.stderr);
    const url = repositoryServiceUrl(grid.baseUrl);
    const publicKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const get = (passphrase: string) => getCredential(url, { username: 'bob', passphrase, publicKeyPem, lifetimeHours: 1 }, grid.user);
    await assert.rejects(get('wrong one'), (error) => isGridError(error, 'MYPROXY_BAD_PASSPHRASE'));
    await assert.rejects(get('wrong two'), (error) => isGridError(error, 'MYPROXY_BAD_PASSPHRASE'));
    await assert.rejects(get('wrong three'), (error) => isGridError(error, 'MYPROXY_BAD_PASSPHRASE') && /retry after 8 seconds/.test(error.message));
    await assert.rejects(get('bob pass phrase'), (error) => isGridError(error, 'MYPROXY_TOO_MANY_TRIES') && /retry after \d seconds/.test(error.message));
    const info = await runWeft(['myproxy-info', '-s', grid.baseUrl, '-l', 'bob'], userEnv);
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, /owner: \/O=Grid\/OU=Weft\/CN=Dev User/);
    const destroyed = await runWeft(['myproxy-destroy', '-s', grid.baseUrl, '-l', 'alice', '-S'], userEnv, 'correct horse battery\n');
    assert.equal(destroyed.status, 0, destroyed.stderr);
    assert.equal(await grid.redis.client.exists('weft:myproxy:cred:alice'), 0);
  });
});
