/**
 * Bad input at the container's door: each gets a SOAP fault (or a TLS refusal) with a clear,
 * stable code, nothing is queued or stored, and the container keeps serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCertificateAuthority, issueUserCertificate } from '../../../services/gsi/index.ts';
import { startTestGrid, type TestGrid } from '../../support/grid-harness.ts';
import { createJobEnvelope, envelope, faultCode, rawRequest } from '../../support/raw-soap.ts';
import { runToEnd } from '../../support/run-job.ts';

describe('the container refuses bad input and changes nothing', () => {
  let grid: TestGrid;
  let factory: string;
  before(async () => {
    grid = await startTestGrid();
    factory = `${grid.baseUrl}/wsrf/services/ManagedJobFactoryService`;
  });
  after(async () => {
    await grid?.stop();
  });

  async function assertNothingStored() {
    assert.deepEqual(await grid.redis.client.keys('weft:job:*'), []);
    const queued = await grid.redis.client.keys('weft:broker:*');
    assert.ok(!queued.some((key) => /weft:broker:[0-9a-f-]{36}$/.test(key)), `queued: ${queued.join(', ')}`);
  }

  async function post(body: string | Buffer, credentials: { certPem?: string; keyPem?: string } = grid.user) {
    return rawRequest(factory, body, { ...credentials, caPems: grid.caPems });
  }

  const cases: Array<[string, () => string | Buffer, string, RegExp]> = [
    ['malformed XML', () => '<soap:Envelope><soap:Body><unclosed></soap:Body>', 'WEFT_XML_MALFORMED', /not well-formed/],
    [
      'a DTD with entity declarations',
      () => `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>${createJobEnvelope('&(executable=/bin/echo)')}`,
      'WEFT_XML_DTD_FORBIDDEN',
      /DOCTYPE or ENTITY/,
    ],
    ['an oversized body', () => createJobEnvelope(`&(executable=/bin/echo)(arguments=${'x'.repeat(100_000)})`), 'WEFT_REQUEST_TOO_LARGE', /larger than 65536 bytes/],
    ['an RSL syntax error', () => createJobEnvelope('&(executable=/bin/echo'), 'GRAM_RSL_SYNTAX', /RSL/],
    ['an RSL without executable', () => createJobEnvelope('&(arguments=hello)'), 'GRAM_RSL_MISSING_EXECUTABLE', /executable/],
    ['an unknown RSL attribute', () => createJobEnvelope('&(executable=/bin/echo)(colour=blue)'), 'GRAM_RSL_UNKNOWN_ATTRIBUTE', /colour/],
    ['a non-numeric count', () => createJobEnvelope('&(executable=/bin/echo)(count=many)'), 'GRAM_RSL_BAD_VALUE', /count/],
    ['an operation the service does not offer', () => envelope('<g:deleteEverything/>'), 'WEFT_NOT_SOAP', /offers createManagedJob/],
  ];
  for (const [what, body, code, message] of cases) {
    it(`answers ${what} with ${code}`, async () => {
      const answer = await post(body());
      assert.equal(faultCode(answer.body), code, answer.body);
      assert.match(answer.body, message);
      assert.doesNotMatch(answer.body, /at \w+ \(|node_modules/, 'no stack trace reaches the client');
      await assertNothingStored();
    });
  }

  it('refuses a call without a client certificate', async () => {
    const answer = await post(createJobEnvelope('&(executable=/bin/echo)'), {});
    assert.equal(faultCode(answer.body), 'GSI_NO_CLIENT_CERT');
    await assertNothingStored();
  });

  it('refuses a certificate from a CA it does not trust', async () => {
    const otherCa = await createCertificateAuthority({ subjectDn: '/O=Elsewhere/CN=Other CA', days: 1 });
    const intruder = await issueUserCertificate(otherCa, { subjectDn: '/O=Grid/OU=Weft/CN=Dev User', days: 1 });
    const answer = await post(createJobEnvelope('&(executable=/bin/echo)'), intruder);
    assert.equal(faultCode(answer.body), 'GSI_UNTRUSTED_CA');
    await assertNothingStored();
  });

  it('refuses a self-signed certificate claiming a trusted name', async () => {
    const selfSigned = await createCertificateAuthority({ subjectDn: '/O=Grid/OU=Weft/CN=Weft Dev CA', days: 1 });
    const answer = await post(createJobEnvelope('&(executable=/bin/echo)'), selfSigned);
    assert.ok(['GSI_UNTRUSTED_CA', 'GSI_SELF_SIGNED', 'GSI_BAD_SIGNATURE'].includes(faultCode(answer.body) ?? ''), answer.body);
    await assertNothingStored();
  });

  it('still runs good jobs after all that', async () => {
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/echo)(arguments=still here)', grid.user);
    assert.equal(status.stdout, 'still here\n');
  });

  it("hides one user's job from another user", async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const ca = {
      certPem: readFileSync(join(grid.certsDir, 'ca', 'cacert.pem'), 'utf8'),
      keyPem: readFileSync(join(grid.certsDir, 'ca', 'cakey.pem'), 'utf8'),
    };
    const mallory = await issueUserCertificate(ca, { subjectDn: '/O=Grid/OU=Weft/CN=Mallory', days: 1 });
    const status = await runToEnd(grid.baseUrl, '&(executable=/bin/echo)(arguments=secret)', grid.user);
    const answer = await rawRequest(
      `${grid.baseUrl}/wsrf/services/ManagedJobService`,
      envelope(`<g:getStatus><g:jobKey>${status.jobKey}</g:jobKey></g:getStatus>`),
      { ...mallory, caPems: grid.caPems },
    );
    assert.equal(faultCode(answer.body), 'GRAM_JOB_NOT_FOUND');
    assert.doesNotMatch(answer.body, /secret/);
  });

  it('serves each WSDL with the address it was reached on', async () => {
    const answer = await rawRequest(`${factory}?wsdl`, '', { caPems: grid.caPems, method: 'GET' });
    assert.equal(answer.status, 200);
    assert.match(answer.body, new RegExp(`location="https://localhost:${grid.port}/wsrf/services/ManagedJobFactoryService"`));
  });
});
