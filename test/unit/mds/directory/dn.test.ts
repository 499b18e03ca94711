import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGridError } from '../../../../services/common/errors.ts';
import { escapeDnValue, formatDn, isAtOrBelow, normalizeDn, parentNdn, parseDn } from '../../../../services/mds/directory/dn.ts';

describe('DNs (RFC 4514)', () => {
  it('parses MDS2-style DNs with spaces after commas and around =', () => {
    assert.deepEqual(parseDn('Mds-Host-hn=alpha, Mds-Vo-name=local, o=grid'), [
      [{ type: 'Mds-Host-hn', value: 'alpha' }],
      [{ type: 'Mds-Vo-name', value: 'local' }],
      [{ type: 'o', value: 'grid' }],
    ]);
    assert.equal(normalizeDn('Mds-Host-hn = Alpha ,  MDS-VO-NAME=Local,o=Grid'), 'mds-host-hn=alpha,mds-vo-name=local,o=grid');
    assert.deepEqual(parseDn(''), []);
  });

  it('reads backslash and hex escapes, and writes every special character escaped', () => {
    const name = 'we,ird+"\\<>;=site';
    const dn = formatDn([[{ type: 'Mds-Host-hn', value: name }], [{ type: 'o', value: 'grid' }]]);
    assert.equal(dn, 'Mds-Host-hn=we\\,ird\\+\\"\\\\\\<\\>\\;\\=site,o=grid');
    assert.equal(parseDn(dn)[0]?.[0]?.value, name);
    assert.equal(normalizeDn(dn), normalizeDn('Mds-Host-hn=we\\2cird\\2B\\22\\5c\\3c\\3e\\3b\\3dsite,o=grid'));
    assert.equal(parseDn('cn=caf\\c3\\a9')[0]?.[0]?.value, 'café');
    assert.equal(escapeDnValue(' #lead and trail '), '\\ #lead and trail\\ ');
    assert.equal(parseDn('cn=\\ x\\ ')[0]?.[0]?.value, ' x ');
  });

  it('keeps structure out of values in the normalised form, so suffix tests are exact', () => {
    const tricky = normalizeDn('cn=a\\,o=glue,o=grid');
    assert.equal(tricky, 'cn=a\\2co\\3dglue,o=grid');
    assert.equal(isAtOrBelow(tricky, 'o=glue'), false);
    assert.equal(isAtOrBelow(tricky, 'o=grid'), true);
    assert.equal(isAtOrBelow('o=grid', 'o=grid'), true);
    assert.equal(isAtOrBelow('xo=grid', 'o=grid'), false);
    assert.equal(isAtOrBelow('o=grid', ''), true);
    assert.equal(parentNdn(tricky), 'o=grid');
    assert.equal(parentNdn('o=grid'), '');
  });

  it('sorts multi-valued RDNs when normalising', () => {
    assert.equal(normalizeDn('cn=b+ou=A,o=x'), normalizeDn('OU=a+CN=B,o=x'));
  });

  it('refuses what is not a DN with MDS_INVALID_DN and a reason', () => {
    for (const bad of ['foo', 'cn=a,', '=a', 'cn=a\\', 'cn=a\\zz', '1cn=a', 'cn=a,,o=b']) {
      assert.throws(() => parseDn(bad), (error) => isGridError(error, 'MDS_INVALID_DN') && error.message.includes('is not valid'), bad);
    }
  });
});
