/**
 * The grid as a newcomer meets it: `scripts/grid up --detach` starts every part as its own
 * process, `bin/weft` runs jobs through it, a stock SOAP client (Python zeep) uses the published
 * WSDL, and `scripts/grid down` stops it all.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { caPemsIn } from '../support/grid-harness.ts';
import { freePort } from '../support/free-port.ts';
import { DEV_CERTS as CERTS, REPO as ROOT, startDetachedGrid, type DetachedGrid } from '../support/detached-grid.ts';

describe('a whole grid from scripts/grid, used with bin/weft and zeep', () => {
  let detached: DetachedGrid;
  let home: string;
  let contact: string;
  let mdsPort: number;
  const grid = (...args: string[]) => detached.grid(...args);
  const weft = (...args: string[]) => detached.weft(...args);

  before(async () => {
    detached = await startDetachedGrid();
    ({ home, contact, mdsPort } = detached);
  });

  after(() => {
    const down = detached?.stop();
    assert.equal(down?.status, 0, `${down?.stdout}${down?.stderr}`);
  });

  it('says every part is up, and a second `up` is harmless', () => {
    const status = grid('status');
    assert.equal(status.status, 0, status.stdout);
    for (const part of ['redis', 'container', 'broker', 'mds', 'site-alpha', 'site-beta']) {
      assert.match(status.stdout, new RegExp(`${part}\\s+up`));
    }
    const again = grid('up', '--detach');
    assert.equal(again.status, 0);
    assert.match(again.stdout, /already runs/);
  });

  it('globus-job-run prints the job output and exits with its exit code', () => {
    const run = weft('globus-job-run', contact, '/bin/echo', 'hello', 'grid');
    assert.equal(run.stdout, 'hello grid\n', run.stderr);
    assert.equal(run.status, 0);
    const failing = weft('globus-job-run', contact, '/bin/sh', '-c', 'echo to-stderr >&2; exit 4');
    assert.equal(failing.status, 4);
    assert.equal(failing.stderr, 'to-stderr\n');
  });

  it('globus-job-submit prints a contact that globus-job-status follows to DONE', async () => {
    const submit = weft('globus-job-submit', contact, '/bin/echo', 'later');
    assert.equal(submit.status, 0, submit.stderr);
    const jobContact = submit.stdout.trim();
    assert.match(jobContact, /^https:\/\/localhost:\d+\/wsrf\/services\/ManagedJobService\?job=[0-9a-f-]{36}$/);
    let state = '';
    for (let attempt = 0; attempt < 40 && state !== 'DONE'; attempt += 1) {
      state = weft('globus-job-status', jobContact).stdout.trim();
      if (state !== 'DONE') await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(state, 'DONE');
    const json = JSON.parse(weft('globus-job-status', '--json', jobContact).stdout);
    assert.equal(json.stdout, 'later\n');
    assert.ok(['alpha', 'beta'].includes(json.site));
    assert.equal(weft('globus-job-get-output', jobContact).stdout, 'later\n');
  });

  it('explains a refused job and a grid that is not there', async () => {
    const bad = weft('globus-job-run', contact, '/no/such/program');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /GRAM_EXECUTABLE_NOT_FOUND: the job failed because the executable \/no\/such\/program does not exist/);
    const nowhere = weft('globus-job-run', `https://localhost:${await freePort()}`, '/bin/true');
    assert.equal(nowhere.status, 1);
    assert.match(nowhere.stderr, /CLI_UNREACHABLE/);
    assert.match(nowhere.stderr, /npm start/);
  });

  it('serves WSDLs that Python zeep uses to create a job, read its status and list the sites', () => {
    const bundle = join(home, 'ca-bundle.pem');
    writeFileSync(bundle, caPemsIn(join(CERTS, 'grid-security', 'certificates')).join('\n'));
    const zeep = spawnSync(
      '/usr/bin/python3',
      [
        join(ROOT, 'test', 'e2e', 'zeep_client.py'),
        contact,
        join(CERTS, 'user', 'usercert.pem'),
        join(CERTS, 'user', 'userkey.pem'),
        bundle,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(zeep.status, 0, zeep.stderr);
    const result = JSON.parse(zeep.stdout);
    assert.equal(result.state, 'Done');
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, 'hello from zeep\n');
    assert.equal(result.address, `${contact}/wsrf/services/ManagedJobService`);
    assert.deepEqual(result.history.slice(-1), ['Done']);
    assert.deepEqual(result.sites, ['alpha', 'beta']);
  });

  it('answers ldapsearch on the index with both demo sites, in the Mds and GLUE 2.0 trees', async () => {
    const ldapsearch = (...args: string[]) =>
      spawnSync('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', `ldap://127.0.0.1:${mdsPort}`, ...args], { encoding: 'utf8', timeout: 10_000 });
    // The sites publish right after the index starts; wait (bounded) until both are in.
    let hosts = '';
    for (let attempt = 0; attempt < 40 && !(hosts.includes('alpha') && hosts.includes('beta')); attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 250));
      hosts = ldapsearch('-b', 'Mds-Vo-name=local,o=grid', '(objectclass=mdshost)', 'Mds-Host-hn').stdout;
    }
    assert.match(hosts, /^Mds-Host-hn: alpha$/m);
    assert.match(hosts, /^Mds-Host-hn: beta$/m);
    const shares = ldapsearch('-b', 'o=glue', '(objectClass=GLUE2ComputingShare)', 'GLUE2ShareID', 'GLUE2ComputingShareFreeSlots');
    assert.equal(shares.status, 0, shares.stderr);
    assert.match(shares.stdout, /^dn: GLUE2ShareID=alpha-default,GLUE2ServiceID=alpha-cs,GLUE2DomainID=alpha,GLUE2GroupID=grid,o=glue$/m);
    assert.match(shares.stdout, /^GLUE2ShareID: beta-default$/m);
  });

  it('keeps its state under WEFT_HOME', () => {
    const state = JSON.parse(readFileSync(join(home, 'run', 'grid.json'), 'utf8'));
    assert.equal(state.ready, true);
  });
});
