/**
 * GT4 job descriptions and JSDL 1.0 on real parts: XML over SOAP (node-soap, raw HTTPS, Python
 * zeep) and through `weft globusrun -f job.xml`, the broker matching their requirements and rank
 * against two sites that publish different attributes, fork sites running the jobs.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JobStatus } from '../../../services/cli/gram-client.ts';
import { devUserEnv } from '../../support/dev-user-env.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { createJobEnvelope, faultCode, rawRequest } from '../../support/raw-soap.ts';
import { runToEnd } from '../../support/run-job.ts';
import { runWeft } from '../../support/run-weft.ts';

const GT4 = 'http://www.globus.org/namespaces/2004/10/gram/job/description';
const EXT = 'http://weft.grid/ns/2026/job-extensions';
const JSDL_NS =
  'xmlns:jsdl="http://schemas.ggf.org/jsdl/2005/11/jsdl" xmlns:posix="http://schemas.ggf.org/jsdl/2005/11/jsdl-posix" ' +
  `xmlns:w="${EXT}"`;

/** Runs /usr/bin/python3 with an argument vector (no shell), without blocking the event loop. */
function python(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

const reasons = (status: JobStatus) => (status.history?.entry ?? []).map((entry) => entry.reason ?? '');

/** A GT4 job that only a site offering the "blast" tag meets, ranked by free slots. */
const gt4Job = (word: string) => `<?xml version="1.0" encoding="UTF-8"?>
<job xmlns="${GT4}" xmlns:w="${EXT}">
  <executable>/bin/echo</executable>
  <argument>gt4</argument>
  <argument>${word}</argument>
  <count>1</count>
  <maxWallTime>5</maxWallTime>
  <extensions>
    <w:requirements>member("blast", other.Tags)</w:requirements>
    <w:rank>other.FreeCpus</w:rank>
  </extensions>
</job>
`;

/** A JSDL job for x86_64 Linux (only alpha), and a rank that would prefer beta if it could. */
const jsdlJob = (word: string, resources: string, rank: string) => `<?xml version="1.0"?>
<jsdl:JobDefinition ${JSDL_NS}>
  <jsdl:JobDescription>
    <jsdl:JobIdentification><jsdl:JobName>echo</jsdl:JobName></jsdl:JobIdentification>
    <jsdl:Application>
      <posix:POSIXApplication>
        <posix:Executable>/bin/sh</posix:Executable>
        <posix:Argument>-c</posix:Argument>
        <posix:Argument>echo "jsdl $GREETING ${word}"</posix:Argument>
        <posix:Environment name="GREETING">hello</posix:Environment>
        <posix:WallTimeLimit>300</posix:WallTimeLimit>
      </posix:POSIXApplication>
    </jsdl:Application>
    <jsdl:Resources>${resources}</jsdl:Resources>
    <w:rank>${rank}</w:rank>
  </jsdl:JobDescription>
</jsdl:JobDefinition>
`;

const LINUX_X86_64 =
  '<jsdl:OperatingSystem><jsdl:OperatingSystemType><jsdl:OperatingSystemName>LINUX</jsdl:OperatingSystemName>' +
  '</jsdl:OperatingSystemType></jsdl:OperatingSystem>' +
  '<jsdl:CPUArchitecture><jsdl:CPUArchitectureName>x86_64</jsdl:CPUArchitectureName></jsdl:CPUArchitecture>' +
  '<jsdl:TotalCPUCount><jsdl:Exact>1</jsdl:Exact></jsdl:TotalCPUCount>';

describe('GT4 and JSDL job descriptions, end to end', () => {
  let grid: TestGrid;
  let dir: string;
  before(async () => {
    grid = await startTestGrid({
      sites: [
        { name: 'alpha', slots: 4, knobs: { opSys: 'linux', arch: 'x86_64' } },
        { name: 'beta', slots: 2, knobs: { opSys: 'linux', arch: 'aarch64', tags: 'blast,python3' } },
      ],
    });
    dir = mkdtempSync(join(tmpdir(), 'weft-jobdesc-'));
  });
  after(async () => {
    await grid?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a GT4 job description on the one site its requirements accept, ranked', async () => {
    const status = await runToEnd(grid.baseUrl, gt4Job('on beta'), grid.user);
    assert.equal(status.state, 'Done', JSON.stringify(status));
    assert.equal(status.site, 'beta');
    assert.equal(status.stdout, 'gt4 on beta\n');
    assert.ok(
      reasons(status).some((r) => /^placed on beta \(rank 2\): .*; 1 of 2 sites met the requirements$/.test(r)),
      reasons(status).join(' | '),
    );
  });

  it('runs a JSDL job on the site whose OS and architecture match, whatever its rank says', async () => {
    const status = await runToEnd(grid.baseUrl, jsdlJob('on alpha', LINUX_X86_64, '-other.TotalCpus'), grid.user);
    assert.equal(status.state, 'Done', JSON.stringify(status));
    assert.equal(status.site, 'alpha');
    assert.equal(status.stdout, 'jsdl hello on alpha\n');
    assert.ok(
      reasons(status).some((r) => /^placed on alpha \(rank -4\): .*; 1 of 2 sites met the requirements$/.test(r)),
      reasons(status).join(' | '),
    );
  });

  it('follows a JSDL rank when both sites qualify', async () => {
    // Without the rank alpha (more free slots) would win; the rank turns the order round.
    const status = await runToEnd(grid.baseUrl, jsdlJob('ranked', '', '-other.TotalCpus'), grid.user);
    assert.equal(status.site, 'beta');
    assert.equal(status.stdout, 'jsdl hello ranked\n');
  });

  it('refuses a GT4 requirement that does not parse with its column, storing nothing', async () => {
    const before = await grid.redis.client.keys('weft:job:*');
    const bad = gt4Job('x').replace('member("blast", other.Tags)', 'other.FreeCpus &gt;= 2 &amp;&amp;');
    const answer = await rawRequest(`${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`, createJobEnvelope(bad), {
      ...grid.user,
      caPems: grid.caPems,
    });
    assert.equal(faultCode(answer.body), 'BROKER_EXPRESSION_SYNTAX', answer.body);
    assert.match(answer.body, /the requirements expression has a syntax error at column 23/);
    assert.match(answer.body, /<faultcode>soap:Client<\/faultcode>/);
    assert.deepEqual(await grid.redis.client.keys('weft:job:*'), before);
  });

  it('refuses file staging, a DTD hidden in the description and an unknown format, storing nothing', async () => {
    const before = await grid.redis.client.keys('weft:job:*');
    const send = (description: string) =>
      rawRequest(`${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`, createJobEnvelope(description), {
        ...grid.user,
        caPems: grid.caPems,
      });
    const staging = await send(gt4Job('x').replace('<count>', '<fileStageIn/>\n  <count>'));
    assert.equal(faultCode(staging.body), 'GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT', staging.body);
    assert.match(staging.body, /the GT4 job description element &lt;fileStageIn&gt; at line 6, column 3 asks for file staging/);
    const entities = await send('<!DOCTYPE job [<!ENTITY big "xxxxxxxx">]><job><executable>&big;</executable></job>');
    assert.equal(faultCode(entities.body), 'GRAM_DESCRIPTION_DTD_FORBIDDEN', entities.body);
    const unknown = await send('<Job xmlns="urn:somebody-else"><executable>/bin/true</executable></Job>');
    assert.equal(faultCode(unknown.body), 'GRAM_DESCRIPTION_FORMAT', unknown.body);
    assert.match(unknown.body, /it reads RSL/);
    assert.deepEqual(await grid.redis.client.keys('weft:job:*'), before);
  });

  it('submits a GT4 job.xml with weft globusrun -f, as globusrun-ws -submit -f did; -b and -p work too', async () => {
    const file = join(dir, 'job.xml');
    writeFileSync(file, gt4Job('from globusrun'));
    const env = devUserEnv(grid.certsDir);
    const contact = `localhost:${grid.port}`;
    const run = await runWeft(['globusrun', '-o', '-r', contact, '-f', file], env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^GRAM Job submission successful\n/);
    assert.match(run.stdout, /GLOBUS_GRAM_PROTOCOL_JOB_STATE_DONE\n/);
    assert.match(run.stdout, /gt4 from globusrun\n$/);

    const batch = await runWeft(['globusrun', '-b', '-r', contact, '-f', file], env);
    assert.equal(batch.status, 0, batch.stderr);
    assert.match(batch.stdout.trim(), /^https:\/\/localhost:\d+\/wsrf\/services\/ManagedJobService\?job=[0-9a-f-]+$/);

    const parsed = await runWeft(['globusrun', '-p', '-f', file], env);
    assert.equal(parsed.stdout, 'Job Description Parsed Successfully...\n', parsed.stderr);
    writeFileSync(file, gt4Job('x').replace('<count>1</count>', '<count>none</count>'));
    const wrong = await runWeft(['globusrun', '-p', '-f', file], env);
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /GRAM_DESCRIPTION_BAD_VALUE/);
    assert.match(wrong.stderr, /<count> at line 6, column 3 must be a whole number from 1 to 100000, but is "none"/);
  });

  it('takes JSDL from Python zeep, a SOAP client no one here wrote', async (t) => {
    const probe = existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import zeep']).status === 0;
    if (!probe) {
      t.skip('python3-zeep is not installed (scripts install it for the e2e tests)');
      return;
    }
    const file = join(dir, 'job.jsdl');
    writeFileSync(file, jsdlJob('from zeep', LINUX_X86_64, '1'));
    const bundle = join(dir, 'ca-bundle.pem');
    writeFileSync(bundle, grid.caPems.join('\n'));
    // Asynchronously: the grid answering zeep runs in this very process.
    const zeep = await python([
      resolve(import.meta.dirname, 'zeep_jsdl_client.py'),
      grid.baseUrl,
      join(grid.certsDir, 'user', 'usercert.pem'),
      join(grid.certsDir, 'user', 'userkey.pem'),
      bundle,
      file,
    ]);
    assert.equal(zeep.status, 0, zeep.stderr);
    assert.deepEqual(JSON.parse(zeep.stdout), { state: 'Done', site: 'alpha', stdout: 'jsdl hello from zeep\n' });
  });
});
