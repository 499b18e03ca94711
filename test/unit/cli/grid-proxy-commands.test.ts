/**
 * The three proxy commands as a user runs them: bin/weft in a child process, with
 * X509_USER_PROXY in a private temp dir (never the real /tmp/x509up_u<uid>), a user minted for
 * the test, and GCT's grid-proxy-info reading what weft wrote.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runWeft } from '../../support/run-weft.ts';
import { makeTempDir } from '../gsi/support/fixtures.ts';
import { gct, makeProxyWorld, USER_DN, type ProxyWorld } from '../gsi/support/proxy-fixtures.ts';

describe('weft grid-proxy-init, grid-proxy-info, grid-proxy-destroy', () => {
  const dir = makeTempDir('cli-proxy');
  const proxyFile = join(dir, 'x509up_test');
  let world: ProxyWorld;
  let env: NodeJS.ProcessEnv;
  let encryptedKey: string;

  before(async () => {
    world = await makeProxyWorld(dir);
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      X509_USER_CERT: world.userCertFile,
      X509_USER_KEY: world.userKeyFile,
      X509_USER_PROXY: proxyFile,
      X509_CERT_DIR: world.trustDir,
      WEFT_CERTS_DIR: join(dir, 'no-dev-pki'),
    };
    encryptedKey = join(dir, 'userkey-encrypted.pem');
    const pem = createPrivateKey(world.user.keyPem).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'open sesame',
    });
    writeFileSync(encryptedKey, pem, { mode: 0o600 });
  });

  it('makes a proxy where X509_USER_PROXY says, 0600, and says until when it is valid', async () => {
    const run = await runWeft(['grid-proxy-init', '-hours', '2'], env);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines[0], `Your identity: ${USER_DN}`);
    assert.match(lines[lines.length - 1]!, /^Your proxy is valid until: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
    assert.equal(statSync(proxyFile).mode & 0o777, 0o600);
    const gctInfo = gct('grid-proxy-info', ['-file', proxyFile, '-type', '-identity'], { X509_CERT_DIR: world.trustDir, HOME: dir });
    assert.equal(gctInfo.stdout, `RFC 3820 compliant impersonation proxy\n${USER_DN}\n`, gctInfo.stderr);
  });

  it('reports on the proxy as GCT does, with its exit codes for -exists', async () => {
    const [all, timeleft, oneHour, threeHours, strongEnough, tooWeak] = await Promise.all([
      runWeft(['grid-proxy-info'], env),
      runWeft(['grid-proxy-info', '-timeleft'], env),
      runWeft(['grid-proxy-info', '-exists', '-valid', '1:00'], env),
      runWeft(['grid-proxy-info', '-exists', '-valid', '3:00'], env),
      runWeft(['grid-proxy-info', '-exists', '-hours', '1', '-bits', '2048'], env),
      runWeft(['grid-proxy-info', '-exists', '-bits', '4096'], env),
    ]);
    assert.equal(all.status, 0, all.stderr);
    assert.match(all.stdout, new RegExp(`^identity : ${USER_DN}\\ntype     : RFC 3820 compliant impersonation proxy\\nstrength : 2048 bits\\npath     : ${proxyFile}\\ntimeleft : [12]:\\d\\d:\\d\\d\\n$`, 'm'));
    const seconds = Number(timeleft.stdout.trim());
    assert.ok(seconds > 7000 && seconds <= 7200, `timeleft ${timeleft.stdout}`);
    assert.equal(oneHour.status, 0);
    assert.equal(oneHour.stdout, '', '-exists prints nothing by itself');
    assert.equal(threeHours.status, 1);
    assert.equal(strongEnough.status, 0);
    assert.equal(tooWeak.status, 1);
  });

  it('unlocks an encrypted key with -pwstdin, and refuses a wrong pass phrase or -old', async () => {
    const out = join(dir, 'from-encrypted.pem');
    const args = ['grid-proxy-init', '-pwstdin', '-limited', '-key', encryptedKey, '-out', out];
    const [good, wrong, old] = await Promise.all([
      runWeft(args, env, 'open sesame\n'),
      runWeft([...args.slice(0, -1), join(dir, 'never.pem')], env, 'open says me\n'),
      runWeft(['grid-proxy-init', '-old'], env),
    ]);
    assert.equal(good.status, 0, good.stderr);
    assert.equal(
      gct('grid-proxy-info', ['-file', out, '-type'], { X509_CERT_DIR: world.trustDir, HOME: dir }).stdout,
      'RFC 3820 compliant limited proxy\n',
    );
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /GSI_BAD_PASS_PHRASE: the pass phrase does not unlock the private key/);
    assert.ok(!existsSync(join(dir, 'never.pem')), 'nothing is written when the key stays locked');
    assert.equal(old.status, 2);
    assert.match(old.stderr, /-old: weft makes only RFC 3820 proxies/);
  });

  it('destroys the proxy (-dryrun only says so), after which -exists fails', async () => {
    const before = readFileSync(proxyFile, 'utf8');
    const dry = await runWeft(['grid-proxy-destroy', '-dryrun'], env);
    assert.equal(dry.stdout, `Would remove ${proxyFile}\n`);
    assert.equal(readFileSync(proxyFile, 'utf8'), before);
    const destroy = await runWeft(['grid-proxy-destroy'], env);
    assert.equal(destroy.status, 0, destroy.stderr);
    assert.ok(!existsSync(proxyFile));
    const [exists, again] = await Promise.all([
      runWeft(['grid-proxy-info', '-exists'], env),
      runWeft(['grid-proxy-destroy'], env),
    ]);
    assert.equal(exists.status, 1);
    assert.match(exists.stderr, /GSI_CREDENTIAL_NOT_FOUND: there is no proxy file at/);
    assert.equal(again.status, 1);
  });
});
