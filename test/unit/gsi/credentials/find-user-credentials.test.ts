import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { findUserCredentials } from '../../../../services/gsi/credentials/find-user-credentials.ts';
import { createCertificateAuthority } from '../../../../services/gsi/pki/certificate-authority.ts';
import { issueUserCertificate } from '../../../../services/gsi/pki/issue-certificate.ts';
import type { PemCredential } from '../../../../services/gsi/pki/mint-certificate.ts';
import { makeTempDir } from '../support/fixtures.ts';

function writePair(
  dir: string,
  credential: PemCredential,
  names = ['usercert.pem', 'userkey.pem'],
): [string, string] {
  mkdirSync(dir, { recursive: true });
  const [certFile, keyFile] = names.map((n) => join(dir, n)) as [string, string];
  writeFileSync(certFile, credential.certPem, { mode: 0o644 });
  writeFileSync(keyFile, credential.keyPem, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  return [certFile, keyFile];
}

describe('findUserCredentials', () => {
  const root = makeTempDir('creds');
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  const devCerts = join(root, 'dev-certs');
  const uid = process.getuid?.() ?? 0;
  const base = {
    homeDir: home,
    uid,
    tmpDir: tmp,
    systemCertDir: join(root, 'etc-grid-security-certificates'),
    fallbackCertsDir: devCerts,
  };
  let creds: Record<'env' | 'proxy' | 'home' | 'dev' | 'signer', PemCredential>;

  before(async () => {
    const ca = await createCertificateAuthority({ subjectDn: '/O=Grid/CN=Test CA', days: 1 });
    const make = (cn: string) =>
      issueUserCertificate(ca, { subjectDn: `/O=Grid/CN=${cn}`, days: 1 });
    const [env, proxy, homeUser, dev] = await Promise.all([
      make('Env'),
      make('Proxy'),
      make('Home'),
      make('Dev'),
    ]);
    creds = { env, proxy, home: homeUser, dev, signer: ca };
    writePair(join(root, 'env'), env);
    writePair(join(home, '.globus'), homeUser);
    writePair(join(devCerts, 'user'), dev);
    mkdirSync(join(devCerts, 'grid-security', 'certificates'), { recursive: true });
    mkdirSync(tmp);
    // A proxy file holds certificate, key and the certificates that signed it, in that order.
    writeFileSync(join(root, 'proxy.pem'), proxy.certPem + proxy.keyPem + ca.certPem, {
      mode: 0o600,
    });
  });

  it('prefers X509_USER_CERT/X509_USER_KEY over everything else', async () => {
    const env = {
      X509_USER_CERT: join(root, 'env', 'usercert.pem'),
      X509_USER_KEY: join(root, 'env', 'userkey.pem'),
      X509_USER_PROXY: join(root, 'proxy.pem'),
    };
    const found = await findUserCredentials({ ...base, env });
    assert.equal(found.source, 'X509_USER_CERT');
    assert.equal(found.certPem, creds.env.certPem);
    assert.equal(found.keyPem, creds.env.keyPem);
    assert.equal(found.keyEncrypted, false);
  });

  it('then X509_USER_PROXY, splitting certificate, key and chain', async () => {
    const found = await findUserCredentials({
      ...base,
      env: { X509_USER_PROXY: join(root, 'proxy.pem') },
    });
    assert.equal(found.source, 'X509_USER_PROXY');
    assert.equal(found.certPem, creds.proxy.certPem);
    assert.equal(found.keyPem, creds.proxy.keyPem);
    assert.deepEqual(found.chainPems, [creds.signer.certPem]);
  });

  it('then the default proxy /tmp/x509up_u<uid>, then ~/.globus, then the dev PKI', async () => {
    const proxyFile = join(tmp, `x509up_u${uid}`);
    writeFileSync(proxyFile, creds.proxy.certPem + creds.proxy.keyPem, { mode: 0o600 });
    assert.equal((await findUserCredentials({ ...base, env: {} })).source, 'default-proxy');
    rmSync(proxyFile);
    const fromHome = await findUserCredentials({ ...base, env: {} });
    assert.equal(fromHome.source, 'home');
    assert.equal(fromHome.certPem, creds.home.certPem);
    const fromDev = await findUserCredentials({
      ...base,
      homeDir: join(root, 'empty-home'),
      env: {},
    });
    assert.equal(fromDev.source, 'dev-pki');
    assert.equal(fromDev.certPem, creds.dev.certPem);
  });

  it('finds trusted CAs in X509_CERT_DIR, else ~/.globus/certificates, else the system, else the dev PKI', async () => {
    const envDir = join(root, 'env-certdir');
    mkdirSync(envDir);
    assert.equal(
      (await findUserCredentials({ ...base, env: { X509_CERT_DIR: envDir } })).certDir,
      envDir,
    );
    assert.equal(
      (await findUserCredentials({ ...base, env: {} })).certDir,
      join(devCerts, 'grid-security', 'certificates'),
    );
    mkdirSync(base.systemCertDir);
    assert.equal((await findUserCredentials({ ...base, env: {} })).certDir, base.systemCertDir);
    mkdirSync(join(home, '.globus', 'certificates'));
    assert.equal(
      (await findUserCredentials({ ...base, env: {} })).certDir,
      join(home, '.globus', 'certificates'),
    );
    await assert.rejects(
      findUserCredentials({ ...base, env: { X509_CERT_DIR: join(root, 'missing') } }),
      { code: 'GSI_TRUST_DIR_NOT_FOUND' },
    );
  });

  it('refuses a key file that group or others can read, naming the file and its mode', async () => {
    const [certFile, keyFile] = writePair(join(root, 'loose'), creds.env);
    chmodSync(keyFile, 0o644);
    await assert.rejects(
      findUserCredentials({ ...base, env: { X509_USER_CERT: certFile, X509_USER_KEY: keyFile } }),
      (error: Error & { code: string }) => {
        assert.equal(error.code, 'GSI_KEY_PERMISSIONS');
        assert.equal(
          error.message,
          `the private key file ${keyFile} can be read by others (mode 0644)`,
        );
        assert.doesNotMatch(JSON.stringify(error), /PRIVATE KEY/);
        return true;
      },
    );
  });

  it('says where it looked when there are no credentials, and errs when an X509_ variable points nowhere', async () => {
    await assert.rejects(
      findUserCredentials({
        ...base,
        homeDir: join(root, 'empty-home'),
        fallbackCertsDir: undefined,
        env: {},
      }),
      {
        code: 'GSI_CREDENTIAL_NOT_FOUND',
        message: /no credentials were found \(looked at .*x509up_u.*\.globus\/usercert\.pem/,
      },
    );
    await assert.rejects(
      findUserCredentials({ ...base, env: { X509_USER_PROXY: join(root, 'no-proxy.pem') } }),
      {
        code: 'GSI_CREDENTIAL_NOT_FOUND',
        message: /no-proxy\.pem does not exist/,
      },
    );
  });
});
