import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { globusIssuerOf, globusSubjectOf } from '../../../services/gsi/certificate-names.ts';
import {
  formatGlobusDn,
  globusDnEquals,
  globusDnFromForgeAttributes,
  globusDnFromNodeSubject,
  globusDnToForgeAttributes,
  nodeSubjectFromGlobusDn,
  parseGlobusDn,
} from '../../../services/gsi/dn.ts';
import { makeTempDir, openssl } from './support/fixtures.ts';

const values = (dn: string) => parseGlobusDn(dn).map((a) => [a.type, a.value]);

describe('Globus DNs', () => {
  it('parses the slash form, keeping a "/" that does not start an attribute in the value', () => {
    assert.deepEqual(values('/O=Grid/OU=Weft/CN=host/localhost'), [
      ['O', 'Grid'],
      ['OU', 'Weft'],
      ['CN', 'host/localhost'],
    ]);
    assert.deepEqual(values('/DC=org/CN=a=b/Email=x@y.z/USERID=u'), [
      ['DC', 'org'],
      ['CN', 'a=b'],
      ['emailAddress', 'x@y.z'],
      ['UID', 'u'],
    ]);
  });

  it('reads escapes: \\/ and \\= in values, \\\\, and \\xHH bytes of UTF-8', () => {
    assert.deepEqual(values('/CN=a\\/OU=b/O=c\\=d'), [
      ['CN', 'a/OU=b'],
      ['O', 'c=d'],
    ]);
    assert.deepEqual(values('/CN=J\\xC3\\xBCrgen\\\\x'), [['CN', 'Jürgen\\x']]);
  });

  it('formats so that parsing gives the same attributes back', () => {
    const tricky = [
      { type: 'CN', value: 'host/localhost' },
      { type: 'CN', value: 'a/OU=b' },
      { type: 'O', value: 'back\\slash' },
      { type: 'CN', value: 'Jürgen Müller' },
    ];
    const dn = formatGlobusDn(tricky);
    assert.equal(
      dn,
      '/CN=host/localhost/CN=a\\/OU=b/O=back\\\\slash/CN=J\\xC3\\xBCrgen M\\xC3\\xBCller',
    );
    assert.deepEqual(
      parseGlobusDn(dn).map((a) => ({ type: a.type, value: a.value })),
      tricky,
    );
  });

  it('refuses what is not a DN, saying where', () => {
    assert.throws(() => parseGlobusDn('O=Grid'), {
      code: 'GSI_BAD_DN',
      message: /does not start with/,
    });
    assert.throws(() => parseGlobusDn('/O=Grid/Bogus=1'), {
      code: 'GSI_BAD_DN',
      message: /"Bogus"/,
    });
    assert.throws(() => parseGlobusDn('/=x'), { code: 'GSI_BAD_DN' });
  });

  it('compares DNs the way Globus does: ASCII case and Email aliases do not matter', () => {
    assert.ok(
      globusDnEquals('/O=Grid/CN=Dev User/Email=a@b', '/o=grid/cn=dev user/emailAddress=a@b'),
    );
    assert.ok(globusDnEquals('/CN=host/localhost', '/CN=host\\/localhost'));
    assert.ok(!globusDnEquals('/O=Grid/CN=Dev User', '/O=Grid/CN=Dev  User'));
  });

  it("converts to and from Node's X509Certificate.subject form and forge attributes", () => {
    assert.equal(
      globusDnFromNodeSubject('O=Grid\nOU=Weft\nCN=Dev User'),
      '/O=Grid/OU=Weft/CN=Dev User',
    );
    assert.equal(nodeSubjectFromGlobusDn('/O=Grid/OU=We,ft/CN=x'), 'O=Grid\nOU=We\\,ft\nCN=x');
    const attrs = globusDnToForgeAttributes(
      '/C=DE/O=Grid/CN=Dev User/emailAddress=dev@example.org',
    );
    assert.equal(
      globusDnFromForgeAttributes(attrs),
      '/C=DE/O=Grid/CN=Dev User/emailAddress=dev@example.org',
    );
    assert.throws(() => globusDnToForgeAttributes('/C=Ü'), { code: 'GSI_BAD_DN' });
  });

  it('agrees with what OpenSSL wrote into a certificate, escapes and multi-valued RDNs included', () => {
    const dir = makeTempDir('dn');
    const subject = '/O=Grid/OU=We\\,ft\\+x/CN=host\\/localhost/CN= padded  /CN=x+UID=y/CN=Jürgen';
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-utf8',
      '-multivalue-rdn',
      '-subj',
      subject,
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
      '-days',
      '1',
    ]);
    const cert = new X509Certificate(readFileSync(join(dir, 'c.pem')));
    const expected =
      '/O=Grid/OU=We,ft+x/CN=host/localhost/CN= padded  /CN=x/UID=y/CN=J\\xC3\\xBCrgen';
    assert.equal(globusSubjectOf(cert), expected);
    assert.equal(globusIssuerOf(cert), expected);
    assert.equal(globusDnFromNodeSubject(cert.subject), expected);
  });
});
