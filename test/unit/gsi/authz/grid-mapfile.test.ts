import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  lookupAccount,
  lookupAccounts,
  parseGridMapfile,
  requireAccount,
} from '../../../../services/gsi/authz/grid-mapfile.ts';

const SAMPLE = `# Weft site grid-mapfile
"/O=Grid/OU=Weft/CN=Dev User" weft

   # indented comment
"/O=Grid/OU=Weft/CN=Ann Other" ann,shared , guest   # trailing comment
/O=Grid/OU=Weft/CN=NoSpaces nospace
"/O=Grid/OU=Weft/CN=Quote \\"Q\\" Person" quoted
"/O=Grid/OU=Weft/CN=Dev User" second-line-loses
"/DC=org/CN=Mail/Email=m@example.org" mail
`;

describe('grid-mapfile', () => {
  const map = parseGridMapfile(SAMPLE, 'test-mapfile');

  it('reads quoted and bare DNs, account lists, comments and blank lines', () => {
    assert.deepEqual(
      map.entries.map((e) => [e.line, e.dn, e.accounts]),
      [
        [2, '/O=Grid/OU=Weft/CN=Dev User', ['weft']],
        [5, '/O=Grid/OU=Weft/CN=Ann Other', ['ann', 'shared', 'guest']],
        [6, '/O=Grid/OU=Weft/CN=NoSpaces', ['nospace']],
        [7, '/O=Grid/OU=Weft/CN=Quote "Q" Person', ['quoted']],
        [8, '/O=Grid/OU=Weft/CN=Dev User', ['second-line-loses']],
        [9, '/DC=org/CN=Mail/Email=m@example.org', ['mail']],
      ],
    );
  });

  it('maps a DN to its default account, the first line for a DN winning', () => {
    assert.equal(lookupAccount(map, '/O=Grid/OU=Weft/CN=Dev User'), 'weft');
    assert.deepEqual(lookupAccounts(map, '/O=Grid/OU=Weft/CN=Ann Other'), [
      'ann',
      'shared',
      'guest',
    ]);
    assert.equal(lookupAccount(map, '/O=Grid/OU=Weft/CN=Stranger'), undefined);
  });

  it('matches DNs as Globus does: ignoring ASCII case and the Email/emailAddress alias', () => {
    assert.equal(lookupAccount(map, '/o=grid/ou=weft/cn=dev user'), 'weft');
    assert.equal(lookupAccount(map, '/DC=org/CN=Mail/emailAddress=m@example.org'), 'mail');
  });

  it('authorizes a listed DN for a listed account and refuses everyone else', () => {
    assert.equal(requireAccount(map, '/O=Grid/OU=Weft/CN=Ann Other', 'shared'), 'shared');
    assert.throws(() => requireAccount(map, '/O=Grid/OU=Weft/CN=Stranger'), {
      code: 'GSI_NOT_AUTHORIZED',
      message: /"\/O=Grid\/OU=Weft\/CN=Stranger" is not listed in test-mapfile/,
    });
    assert.throws(() => requireAccount(map, '/O=Grid/OU=Weft/CN=Ann Other', 'root'), {
      code: 'GSI_NOT_AUTHORIZED',
      message: /may not act as the local account "root" \(listed: ann, shared, guest\)/,
    });
  });

  it('reports every bad line with its number', () => {
    const bad = [
      '"/O=Grid/CN=ok" fine',
      '"/O=Grid/CN=no closing quote weft',
      '/O=Grid/CN=NoAccount',
      '"/O=Grid/CN=Nobody"',
      '"O=Grid/CN=not a dn" weft',
      '"/O=Grid/CN=glued"weft',
    ].join('\n');
    assert.throws(
      () => parseGridMapfile(bad, 'bad-mapfile'),
      (error: { code: string; message: string; details: { lines: string } }) => {
        assert.equal(error.code, 'GSI_GRID_MAPFILE_SYNTAX');
        assert.match(error.message, /^bad-mapfile has 5 bad line\(s\): /);
        assert.match(error.message, /line 2: the closing quote of the DN is missing/);
        assert.match(error.message, /line 3: no local account follows the DN/);
        assert.match(error.message, /line 4: no local account follows the DN/);
        assert.match(
          error.message,
          /line 5: the DN "O=Grid\/CN=not a dn" does not start with "\/"/,
        );
        assert.match(
          error.message,
          /line 6: the closing quote of the DN must be followed by a space/,
        );
        assert.equal(error.details.lines, '2, 3, 4, 5, 6');
        return true;
      },
    );
  });
});
