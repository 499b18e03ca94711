/** Local accounts read from passwd and group files, without a shell: what a mapped job runs as. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  findLocalAccount,
  groupsOf,
  isAccountName,
  parseGroup,
  parsePasswd,
} from '../../../services/site/accounts/local-accounts.ts';

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

const GROUP = `root:x:0:
weft:x:1001:
atlas:x:3000:pool01,weft
cms:x:3001:pool01
empty:x:3002:
bad:x:nan:weft
`;

describe('passwd and group files', () => {
  it('reads passwd lines as getpwnam would: comments, blank and malformed lines skipped, first line wins', () => {
    const accounts = parsePasswd(PASSWD);
    assert.deepEqual([...accounts.keys()], ['root', 'daemon', 'weft', 'pool01']);
    assert.deepEqual(accounts.get('weft'), { name: 'weft', uid: 1001, gid: 1001, home: '/home/weft', shell: '/bin/bash' });
    assert.equal(accounts.get('root')?.uid, 0);
  });

  it('reads group lines with their members, skipping malformed ones', () => {
    assert.deepEqual(
      parseGroup(GROUP).map((group) => [group.name, group.gid, group.members]),
      [
        ['root', 0, []],
        ['weft', 1001, []],
        ['atlas', 3000, ['pool01', 'weft']],
        ['cms', 3001, ['pool01']],
        ['empty', 3002, []],
      ],
    );
  });

  it("gives an account its primary group first, then each group that lists it", () => {
    const pool = parsePasswd(PASSWD).get('pool01');
    assert.ok(pool);
    assert.deepEqual(groupsOf(pool, parseGroup(GROUP)), [1500, 3000, 3001]);
  });

  it('accepts only account names useradd would make', () => {
    for (const name of ['weft', 'pool01', '_svc', 'a.b-c_d', 'machine$']) assert.ok(isAccountName(name), name);
    for (const name of ['', '1abc', 'a b', 'a;rm -rf /', '../etc', 'x'.repeat(40), 'a:b']) assert.ok(!isAccountName(name), name);
  });
});

describe('findLocalAccount', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-accounts-'));
  const files = { passwd: join(dir, 'passwd'), group: join(dir, 'group') };
  writeFileSync(files.passwd, PASSWD);
  writeFileSync(files.group, GROUP);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an account with its ids, home and groups', async () => {
    assert.deepEqual(await findLocalAccount('pool01', files), {
      name: 'pool01',
      uid: 1500,
      gid: 1500,
      home: '/nonexistent',
      shell: '/usr/sbin/nologin',
      groups: [1500, 3000, 3001],
    });
  });

  it('says there is no such account for unknown or ill-formed names', async () => {
    assert.equal(await findLocalAccount('nosuchuser', files), undefined);
    assert.equal(await findLocalAccount('broken', files), undefined);
    assert.equal(await findLocalAccount('weft;id', files), undefined);
  });

  it('reads the real /etc/passwd: root is uid 0', async () => {
    const root = await findLocalAccount('root');
    assert.equal(root?.uid, 0);
    assert.equal(root?.groups[0], root?.gid);
  });
});
