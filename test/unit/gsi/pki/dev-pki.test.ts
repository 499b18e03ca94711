import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { globusSubjectOf } from '../../../../services/gsi/certificate-names.ts';
import { ensureDevPki, type DevPkiPaths } from '../../../../services/gsi/pki/dev-pki.ts';
import { makeTempDir, openssl } from '../support/fixtures.ts';

const mode = (path: string): number => statSync(path).mode & 0o777;

function snapshot(paths: DevPkiPaths): Map<string, string> {
  const files = [
    paths.caCertFile,
    paths.caKeyFile,
    paths.hostCertFile,
    paths.hostKeyFile,
    paths.userCertFile,
    paths.userKeyFile,
    paths.gridMapfile,
  ];
  return new Map(files.map((f) => [f, `${statSync(f).mtimeMs} ${readFileSync(f, 'utf8')}`]));
}

describe('ensureDevPki', () => {
  const certsDir = join(makeTempDir('devpki'), 'certs');
  let paths: DevPkiPaths;
  const lines: string[] = [];

  before(async () => {
    paths = await ensureDevPki(certsDir, { log: (line) => lines.push(line) });
  });

  it('lays the files out as DESIGN.md says, logging one line per file made', () => {
    assert.equal(paths.caCertFile, join(certsDir, 'ca', 'cacert.pem'));
    assert.equal(paths.trustDir, join(certsDir, 'grid-security', 'certificates'));
    assert.equal(paths.hostKeyFile, join(certsDir, 'grid-security', 'hostkey.pem'));
    assert.equal(paths.userCertFile, join(certsDir, 'user', 'usercert.pem'));
    assert.equal(paths.made.length, 12); // CA pair, 3 trust files, host pair, user pair, grid-mapfile, site-admins, accounting-admins
    assert.deepEqual(
      lines,
      paths.made.map((f) => `made ${f}`),
    );
    assert.ok(!lines.join('\n').includes('PRIVATE KEY'));
  });

  it('keeps keys 0600 and key directories 0700', () => {
    for (const key of [paths.caKeyFile, paths.hostKeyFile, paths.userKeyFile])
      assert.equal(mode(key), 0o600, key);
    assert.equal(mode(join(certsDir, 'ca')), 0o700);
    assert.equal(mode(join(certsDir, 'user')), 0o700);
    assert.equal(mode(paths.userCertFile), 0o644);
  });

  it('makes the dev CA, host and user, which openssl verifies through the trust directory', () => {
    const subjects = [paths.caCertFile, paths.hostCertFile, paths.userCertFile].map((f) =>
      globusSubjectOf(new X509Certificate(readFileSync(f))),
    );
    assert.deepEqual(subjects, [
      '/O=Grid/OU=Weft/CN=Weft Dev CA',
      '/O=Grid/OU=Weft/CN=host/localhost',
      '/O=Grid/OU=Weft/CN=Dev User',
    ]);
    openssl([
      'verify',
      '-CApath',
      paths.trustDir,
      '-crl_check',
      paths.hostCertFile,
      paths.userCertFile,
    ]);
    assert.match(readFileSync(paths.userKeyFile, 'utf8'), new RegExp(`^-----BEGIN ${'PRIVATE'} KEY-----`)); // unencrypted
  });

  it('writes a Globus grid-mapfile mapping the dev user to weft', () => {
    const text = readFileSync(paths.gridMapfile, 'utf8');
    assert.match(text, /^# /);
    assert.match(text, /^"\/O=Grid\/OU=Weft\/CN=Dev User" weft$/m);
  });

  it('makes nothing and changes nothing when run again', async () => {
    const before = snapshot(paths);
    const again = await ensureDevPki(certsDir);
    assert.deepEqual(again.made, []);
    assert.deepEqual(snapshot(again), before);
  });

  it('issues a missing user certificate from the existing CA, leaving the CA alone', async () => {
    const caBefore = readFileSync(paths.caCertFile, 'utf8');
    const hostBefore = readFileSync(paths.hostCertFile, 'utf8');
    rmSync(paths.userCertFile);
    const repaired = await ensureDevPki(certsDir);
    assert.deepEqual(repaired.made, [paths.userKeyFile, paths.userCertFile]);
    assert.equal(readFileSync(paths.caCertFile, 'utf8'), caBefore);
    assert.equal(readFileSync(paths.hostCertFile, 'utf8'), hostBefore);
    const user = new X509Certificate(readFileSync(paths.userCertFile));
    assert.ok(user.checkIssued(new X509Certificate(caBefore)));
  });

  it('reissues everything the CA signed when the CA itself has to be made again', async () => {
    const hostBefore = readFileSync(paths.hostCertFile, 'utf8');
    rmSync(paths.caKeyFile);
    const remade = await ensureDevPki(certsDir);
    assert.ok(remade.made.includes(paths.caCertFile));
    assert.ok(remade.made.includes(paths.hostCertFile));
    assert.notEqual(readFileSync(paths.hostCertFile, 'utf8'), hostBefore);
    openssl([
      'verify',
      '-CApath',
      paths.trustDir,
      '-crl_check',
      paths.hostCertFile,
      paths.userCertFile,
    ]);
  });
});
