/**
 * A new user's certificate, the Globus way: `weft grid-cert-request` makes an encrypted key and a
 * request, the dev CA's `weft grid-ca-sign` signs it, OpenSSL accepts the result, and the user can
 * make a proxy with it. The CA refuses weak keys, altered requests and foreign subjects.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import forge from 'node-forge';
import { ensureDevPki } from '../../../services/gsi/index.ts';
import { devUserEnv } from '../../support/dev-user-env.ts';
import { runWeft } from '../../support/run-weft.ts';

function requestPem(subject: forge.pki.CertificateField[], bits: number): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  csr.setSubject(subject);
  csr.sign(key, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

describe('grid-cert-request and grid-ca-sign', () => {
  let dir: string;
  let certs: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-certreq-'));
    certs = join(dir, 'certs');
    await ensureDevPki(certs);
    env = { ...devUserEnv(certs), WEFT_CERTS_DIR: certs, HOME: dir, X509_USER_PROXY: join(dir, 'x509up') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes an encrypted key and a request that the dev CA signs into a certificate OpenSSL accepts', async () => {
    const globus = join(dir, 'jane');
    const request = await runWeft(['grid-cert-request', '-cn', 'Jane Doe', '-dir', globus, '-pwstdin'], env, 'a good pass phrase\n');
    assert.equal(request.status, 0, request.stderr);
    assert.equal(statSync(join(globus, 'userkey.pem')).mode & 0o777, 0o400);
    assert.match(readFileSync(join(globus, 'userkey.pem'), 'utf8'), /ENCRYPTED/);

    const signed = await runWeft(['grid-ca-sign', '-in', join(globus, 'usercert_request.pem'), '-out', join(globus, 'usercert.pem')], env);
    assert.equal(signed.status, 0, signed.stderr);
    assert.match(signed.stdout, /Signed \/O=Grid\/OU=Weft\/CN=Jane Doe/);
    const verify = spawnSync('openssl', ['verify', '-CApath', join(certs, 'grid-security', 'certificates'), join(globus, 'usercert.pem')], { encoding: 'utf8' });
    assert.match(verify.stdout, /: OK/, verify.stderr);

    const userEnv = { ...env, X509_USER_CERT: join(globus, 'usercert.pem'), X509_USER_KEY: join(globus, 'userkey.pem') };
    const proxy = await runWeft(['grid-proxy-init', '-pwstdin', '-hours', '1'], userEnv, 'a good pass phrase\n');
    assert.equal(proxy.status, 0, proxy.stderr);
    const identity = await runWeft(['grid-proxy-info', '-identity'], userEnv);
    assert.equal(identity.stdout.trim(), '/O=Grid/OU=Weft/CN=Jane Doe');
  });

  it('makes a host request that the dev CA signs into a server certificate OpenSSL verifies for that host name', async () => {
    const hostDir = join(dir, 'host');
    const request = await runWeft(['grid-cert-request', '-host', 'Grid.Example.org', '-dir', hostDir], env);
    assert.equal(request.status, 0, request.stderr);
    const keyPem = readFileSync(join(hostDir, 'hostkey.pem'), 'utf8');
    assert.equal(statSync(join(hostDir, 'hostkey.pem')).mode & 0o777, 0o400);
    assert.doesNotMatch(keyPem, /ENCRYPTED/); // services start unattended, as GCT's host keys

    const signed = await runWeft(['grid-ca-sign', '-in', join(hostDir, 'hostcert_request.pem'), '-out', join(hostDir, 'hostcert.pem')], env);
    assert.equal(signed.status, 0, signed.stderr);
    assert.match(signed.stdout, /Signed \/O=Grid\/OU=Weft\/CN=host\/grid\.example\.org \(a host certificate for grid\.example\.org\)/);

    // A real TLS server with it; OpenSSL's client checks the chain, the purpose and the name.
    const server = createServer({ cert: readFileSync(join(hostDir, 'hostcert.pem')), key: keyPem }, (socket) => socket.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      const client = (name: string) => {
        const child = spawn('openssl', [
          's_client', '-connect', `127.0.0.1:${port}`, '-servername', name, '-verify_hostname', name,
          '-verify_return_error', '-CApath', join(certs, 'grid-security', 'certificates'), '-brief',
        ], { stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
        return once(child, 'close').then(([status]) => ({ status: status as number, text }));
      };
      const good = await client('grid.example.org');
      assert.equal(good.status, 0, good.text);
      assert.match(good.text, /Verification: OK/);
      const wrongName = await client('other.example.org');
      assert.notEqual(wrongName.status, 0, 'a certificate for grid.example.org must not pass for other.example.org');
    } finally {
      server.close();
    }
  });

  it('names a service certificate after the service and refuses a host name that is not a DNS name', async () => {
    const serviceDir = join(dir, 'service');
    const request = await runWeft(['grid-cert-request', '-host', 'ldap.example.org', '-service', 'ldap', '-dir', serviceDir], env);
    assert.equal(request.status, 0, request.stderr);
    const csr = forge.pki.certificationRequestFromPem(readFileSync(join(serviceDir, 'ldapcert_request.pem'), 'utf8'));
    assert.equal(csr.subject.getField('CN')?.value, 'ldap/ldap.example.org');
    assert.equal(existsSync(join(serviceDir, 'ldapkey.pem')), true);

    const bad = await runWeft(['grid-cert-request', '-host', 'not a host/../x', '-dir', join(dir, 'bad-host')], env);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /fully qualified DNS name/);
    assert.equal(existsSync(join(dir, 'bad-host')), false);
  });

  it('will not overwrite an existing key without -force', async () => {
    const globus = join(dir, 'twice');
    assert.equal((await runWeft(['grid-cert-request', '-cn', 'Twice', '-dir', globus, '-nopw'], env)).status, 0);
    const again = await runWeft(['grid-cert-request', '-cn', 'Twice', '-dir', globus, '-nopw'], env);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists/);
  });

  const refusals: Array<[string, () => string, string]> = [
    ['a 1024-bit key', () => requestPem([{ shortName: 'O', value: 'Grid' }, { shortName: 'OU', value: 'Weft' }, { shortName: 'CN', value: 'Weak' }], 1024), 'GSI_WEAK_KEY'],
    ['a subject outside the namespace', () => requestPem([{ shortName: 'O', value: 'Elsewhere' }, { shortName: 'CN', value: 'Mallory' }], 2048), 'GSI_OUTSIDE_SIGNING_POLICY'],
    [
      'an altered request',
      () => {
        // Change the name inside the signed bytes: the request's own signature no longer holds.
        const pem = requestPem([{ shortName: 'O', value: 'Grid' }, { shortName: 'OU', value: 'Weft' }, { shortName: 'CN', value: 'Eve' }], 2048);
        const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
        const at = der.indexOf(Buffer.from('Eve'));
        der.write('Bob', at);
        return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`;
      },
      'GSI_BAD_CERT_REQUEST',
    ],
  ];
  for (const [what, make, code] of refusals) {
    it(`refuses to sign ${what} (${code}) and writes nothing`, async () => {
      const requestFile = join(dir, `${code}.pem`);
      const out = join(dir, `${code}-cert.pem`);
      writeFileSync(requestFile, make());
      const signed = await runWeft(['grid-ca-sign', '-in', requestFile, '-out', out], env);
      assert.equal(signed.status, 1);
      assert.match(signed.stderr, new RegExp(code));
      assert.equal(existsSync(out), false);
    });
  }
});
