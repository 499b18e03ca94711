/**
 * Who a job runs as: the owner's DN through the site's grid-mapfile (Globus rules), then what
 * the agent can do with the account — switch to it as root, run as itself otherwise, never root.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGridError } from '../../../services/common/errors.ts';
import { parseGridMapfile } from '../../../services/gsi/index.ts';
import { decideJobAccount, mappedAccount } from '../../../services/site/authz/job-account.ts';

const MAP = parseGridMapfile(
  [
    '"/O=Grid/OU=Weft/CN=Dev User" weft,shared',
    '"/DC=org/DC=example/CN=Mail Person/Email=m@example.org" mailer',
    '"/O=Grid/OU=Weft/CN=Dev User" ignored-second-line',
  ].join('\n'),
  '/etc/grid-security/grid-mapfile',
);

const pool = { name: 'pool01', uid: 1500, gid: 1500, home: '/nonexistent', shell: '/usr/sbin/nologin' };
const ROOT_AGENT = { uid: 0, gid: 0, name: 'root' };
const WEFT_AGENT = { uid: 1001, gid: 1001, name: 'weft' };

describe('mapping the owner', () => {
  it('gives the first account of the first line for the DN', () => {
    assert.equal(mappedAccount(MAP, '/O=Grid/OU=Weft/CN=Dev User', 'alpha'), 'weft');
  });

  it('compares DNs as Globus does: ASCII case and the Email spellings do not matter', () => {
    assert.equal(mappedAccount(MAP, '/o=grid/ou=weft/cn=dev user', 'alpha'), 'weft');
    assert.equal(mappedAccount(MAP, '/DC=org/DC=example/CN=Mail Person/emailAddress=m@example.org', 'alpha'), 'mailer');
  });

  it('refuses an unlisted DN, naming the DN and the site and saying whom to ask', () => {
    assert.throws(
      () => mappedAccount(MAP, '/O=Grid/OU=Weft/CN=Stranger', 'alpha'),
      (error: unknown) =>
        isGridError(error, 'GSI_NOT_AUTHORIZED') &&
        error.message ===
          'the site alpha does not admit "/O=Grid/OU=Weft/CN=Stranger": the DN is not in its grid-mapfile; ask the site\'s administrator to add your DN to its grid-mapfile' &&
        error.details.site === 'alpha',
    );
  });
});

describe('running as the account', () => {
  it('switches to an existing account when the agent is root', () => {
    assert.deepEqual(decideJobAccount(ROOT_AGENT, 'pool01', pool, 'alpha'), {
      name: 'pool01',
      uid: 1500,
      gid: 1500,
      switchUser: true,
    });
  });

  it('refuses root, by name or by uid 0, whoever the agent is', () => {
    const isRoot = (error: unknown) => isGridError(error, 'SITE_ACCOUNT_IS_ROOT') && /jobs never run as root/.test(error.message);
    assert.throws(() => decideJobAccount(ROOT_AGENT, 'root', { ...pool, name: 'root', uid: 0, gid: 0 }, 'alpha'), isRoot);
    assert.throws(() => decideJobAccount(ROOT_AGENT, 'toor', { ...pool, name: 'toor', uid: 0 }, 'alpha'), isRoot);
    assert.throws(() => decideJobAccount(WEFT_AGENT, 'root', undefined, 'alpha'), isRoot);
  });

  it("refuses an account whose primary group is root's (gid 0), whoever the agent is", () => {
    const isRootGroup = (error: unknown) =>
      isGridError(error, 'SITE_ACCOUNT_IS_ROOT') &&
      error.message === 'the grid-mapfile of site alpha maps the job\'s owner to "wheelie", whose primary group is root (gid 0); jobs never run with root\'s group';
    const wheelie = { ...pool, name: 'wheelie', gid: 0 };
    assert.throws(() => decideJobAccount(ROOT_AGENT, 'wheelie', wheelie, 'alpha'), isRootGroup);
    assert.throws(() => decideJobAccount({ uid: 1002, gid: 0, name: 'wheelie' }, 'wheelie', wheelie, 'alpha'), isRootGroup);
  });

  it('refuses an account that does not exist', () => {
    assert.throws(
      () => decideJobAccount(ROOT_AGENT, 'ghost', undefined, 'alpha'),
      (error: unknown) => isGridError(error, 'SITE_ACCOUNT_UNKNOWN') && /maps the job's owner to "ghost", but there is no such local account/.test(error.message),
    );
  });

  it('a non-root agent runs jobs mapped to its own account as itself, without switching', () => {
    assert.deepEqual(decideJobAccount(WEFT_AGENT, 'weft', undefined, 'alpha'), { name: 'weft', uid: 1001, gid: 1001, switchUser: false });
  });

  it('a non-root agent refuses to switch to another account, saying how to fix it', () => {
    assert.throws(
      () => decideJobAccount(WEFT_AGENT, 'pool01', pool, 'alpha'),
      (error: unknown) =>
        isGridError(error, 'SITE_CANNOT_SWITCH_ACCOUNT') &&
        error.message === 'the site agent of alpha runs as weft and cannot switch to account pool01; run the agent as root or map to weft',
    );
  });
});
