/** Local accounts read from a passwd file, without a shell: what a mapped job runs as. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findLocalAccount, isAccountName, parsePasswd } from '../../../services/site/accounts/local-accounts.ts';

const PASSWD = `root:x:0:0:root:/root:/bin/bash
# a comment line
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin

weft:x:1001:1001:Weft Jobs,,,:/home/weft:/bin/bash
broken:x:notanumber:1002::/home/broken:/bin/sh
short:x:1003
+nisuser::::::
weft:x:2001:2001:second line loses:/elsewhere:/bin/sh
pool01:x:1500:1500::/nonexistent:/usr/sbin/nologin
`;

describe('the passwd file', () => {
  it('reads passwd lines as getpwnam would: comments, blank and malformed lines skipped, first line wins', () => {
    const accounts = parsePasswd(PASSWD);
    assert.deepEqual([...accounts.keys()], ['root', 'daemon', 'weft', 'pool01']);
    assert.deepEqual(accounts.get('weft'), { name: 'weft', uid: 1001, gid: 1001, home: '/home/weft', shell: '/bin/bash' });
    assert.equal(accounts.get('root')?.uid, 0);
  });

  it('accepts only account names useradd would make', () => {
    for (const name of ['weft', 'pool01', '_svc', 'a.b-c_d', 'machine$']) assert.ok(isAccountName(name), name);
    for (const name of ['', '1abc', 'a b', 'a;rm -rf /', '../etc', 'x'.repeat(40), 'a:b']) assert.ok(!isAccountName(name), name);
  });
});

describe('findLocalAccount', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-accounts-'));
  const files = { passwd: join(dir, 'passwd') };
  writeFileSync(files.passwd, PASSWD);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an account with its ids and home', async () => {
    assert.deepEqual(await findLocalAccount('pool01', files), {
      name: 'pool01',
      uid: 1500,
      gid: 1500,
      home: '/nonexistent',
      shell: '/usr/sbin/nologin',
    });
  });

  it('says there is no such account for unknown or ill-formed names', async () => {
    assert.equal(await findLocalAccount('nosuchuser', files), undefined);
    assert.equal(await findLocalAccount('broken', files), undefined);
    assert.equal(await findLocalAccount('weft;id', files), undefined);
  });

  it('reads the real /etc/passwd: root is uid 0, gid 0', async () => {
    const root = await findLocalAccount('root');
    assert.equal(root?.uid, 0);
    assert.equal(root?.gid, 0);
  });
});
