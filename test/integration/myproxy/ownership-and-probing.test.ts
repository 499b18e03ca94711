/**
 * The credential repository over the real container, with two users' minted certificates: a user
 * name in use is replaced by its owner only (Bob cannot overwrite, and so sabotage, Alice's
 * credential); and a logon attempt tells a caller nothing about a name beyond "not with this pass
 * phrase" — a wrong pass phrase, a name with nothing stored and Alice's renewable credential answer
 * with the same fault, each counted toward the lock-out.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ClientCredentials } from '../../../services/cli/gram-client.ts';
import { getCredential, putCredential, repositoryServiceUrl } from '../../../services/cli/repository-client.ts';
import { isGridError, type GridError } from '../../../services/common/errors.ts';
import { createProxy, issueUserCertificate } from '../../../services/gsi/index.ts';
import { GRID_SERVICES_DN, startTestGrid, type TestGrid } from '../../support/grid-harness.ts';

const ALICE = '/O=Grid/OU=Weft/CN=Alice Repository';
const BOB = '/O=Grid/OU=Weft/CN=Bob Repository';

describe('CredentialRepositoryService: owners and probing', () => {
  let grid: TestGrid;
  let url: string;
  let alice: ClientCredentials;
  let bob: ClientCredentials;
  const publicKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

  before(async () => {
    grid = await startTestGrid({ sites: [] });
    url = repositoryServiceUrl(grid.baseUrl);
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    const mint = async (dn: string) => ({ ...(await issueUserCertificate(ca, { subjectDn: dn, days: 1 })), chainPems: [], caPems: grid.caPems });
    [alice, bob] = await Promise.all([mint(ALICE), mint(BOB)]);
  });
  after(async () => await grid?.stop());

  /** What weft myproxy-init sends: a fresh proxy of the caller, for the repository. */
  async function store(who: ClientCredentials, username: string, secret: { passphrase: string } | { renewer: string }) {
    const proxy = await createProxy({ issuerCertPem: who.certPem, issuerKey: createPrivateKey(who.keyPem), lifetimeSeconds: 12 * 3600 });
    const renewer = 'renewer' in secret ? secret.renewer : undefined;
    return putCredential(
      url,
      { username, passphrase: 'passphrase' in secret ? secret.passphrase : '', certPem: proxy.certPem, keyPem: proxy.keyPem, chainPems: proxy.chainPems, maxLifetimeHours: 2, ...(renewer ? { renewer } : {}) },
      who,
    );
  }
  const logon = (who: ClientCredentials, username: string, passphrase: string) => getCredential(url, { username, passphrase, publicKeyPem, lifetimeHours: 1 }, who);
  async function faultOf(promise: Promise<unknown>): Promise<GridError> {
    try {
      await promise;
    } catch (error) {
      if (isGridError(error)) return error;
      throw error;
    }
    throw new Error('the call succeeded');
  }

  it('Bob cannot replace Alice\'s credential under her user name; Alice can', async () => {
    await store(alice, 'alice-jobs', { passphrase: 'alice first phrase' });
    const refused = await faultOf(store(bob, 'alice-jobs', { passphrase: 'bob took it over' }));
    assert.equal(refused.code, 'MYPROXY_NOT_OWNER', refused.message);
    assert.match(refused.message, /the user name alice-jobs holds another identity's credential/);
    const bobsTry = await faultOf(store(bob, 'alice-jobs', { renewer: GRID_SERVICES_DN }));
    assert.equal(bobsTry.code, 'MYPROXY_NOT_OWNER', 'nor with a renewable one');
    assert.equal(await grid.redis.client.hget('weft:myproxy:cred:alice-jobs', 'owner'), ALICE);
    assert.ok(Date.parse((await logon(alice, 'alice-jobs', 'alice first phrase')).notAfter) > Date.now(), 'Alice still logs on with her pass phrase');

    const replaced = await store(alice, 'alice-jobs', { passphrase: 'alice second phrase' });
    assert.equal(replaced.owner, ALICE);
    assert.ok(await logon(alice, 'alice-jobs', 'alice second phrase'));
    assert.equal((await faultOf(logon(alice, 'alice-jobs', 'alice first phrase'))).code, 'MYPROXY_BAD_PASSPHRASE', 'the old one is gone');
  });

  it('a wrong pass phrase, no such name and a renewable credential give Bob the same fault, counted toward the lock-out', async () => {
    await store(alice, 'alice-pass', { passphrase: 'alice pass phrase' });
    await store(alice, 'alice-renew', { renewer: GRID_SERVICES_DN });
    const answers = await Promise.all(
      ['alice-pass', 'alice-renew', 'nobody-here'].map(async (username) => {
        const fault = await faultOf(logon(bob, username, 'a guessed phrase'));
        return { code: fault.code, retryable: fault.retryable, message: fault.message.replaceAll(username, 'NAME') };
      }),
    );
    assert.equal(answers[0]!.code, 'MYPROXY_BAD_PASSPHRASE', JSON.stringify(answers[0]));
    assert.deepEqual(answers[1], answers[0], 'a renewable credential answers as a wrong pass phrase does');
    assert.deepEqual(answers[2], answers[0], 'a name with nothing stored answers as a wrong pass phrase does');

    // Each kind counts: the third failure locks the name, as for a wrong pass phrase.
    for (const username of ['alice-renew', 'nobody-here']) {
      await faultOf(logon(bob, username, 'second guess'));
      const third = await faultOf(logon(bob, username, 'third guess'));
      assert.match(third.message, /retry after 8 seconds/, `${username}: ${third.message}`);
      assert.equal((await faultOf(logon(bob, username, 'fourth guess'))).code, 'MYPROXY_TOO_MANY_TRIES');
    }
  });

  it('Alice, who stored it, is told her credential is for renewal only', async () => {
    await store(alice, 'alice-renew-own', { renewer: GRID_SERVICES_DN });
    const fault = await faultOf(logon(alice, 'alice-renew-own', 'any phrase at all'));
    assert.equal(fault.code, 'MYPROXY_RENEW_ONLY', fault.message);
  });
});
