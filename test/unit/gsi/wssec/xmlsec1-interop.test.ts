/**
 * What our client signs, checked by a tool no one at Weft wrote: xmlsec1 (Debian `xmlsec1`).
 * xmlsec1 does not read WS-Security tokens, so it is given the token's certificate as the key
 * and told which attributes are Ids; the certificate itself is checked against the trusted CA
 * with openssl, as a WS-Security receiver would.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SignedSslSecurity } from '../../../../services/cli/ws-security.ts';
import { derToPem } from '../../../../services/gsi/der.ts';
import { createJobEnvelope } from '../../../support/raw-soap.ts';
import { makeTempDir } from '../support/fixtures.ts';
import { makeProxyWorld } from '../support/proxy-fixtures.ts';

const SOAP_BODY = 'http://schemas.xmlsoap.org/soap/envelope/:Body';
const WSU_TIMESTAMP = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd:Timestamp';

describe('xmlsec1 and messages signed by the Weft client', async () => {
  const dir = makeTempDir('xmlsec1');
  const world = await makeProxyWorld(dir);
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, world.ca.certPem);
  const security = new SignedSslSecurity({ ...world.user, chainPems: [], caPems: [world.ca.certPem] }, false, {});
  const signed = security.postProcess(createJobEnvelope('&(executable=/bin/echo)(arguments=checked)'));
  const tokenFile = join(dir, 'token.pem');
  const token = /<wsse:BinarySecurityToken[^>]*>([^<]+)</.exec(signed)![1]!;
  writeFileSync(tokenFile, derToPem(Buffer.from(token, 'base64'), 'CERTIFICATE'));

  function xmlsec1Verify(xml: string) {
    const file = join(dir, `message-${Math.random().toString(36).slice(2)}.xml`);
    writeFileSync(file, xml);
    return spawnSync(
      'xmlsec1',
      ['--verify', '--id-attr:Id', SOAP_BODY, '--id-attr:Id', WSU_TIMESTAMP, '--pubkey-cert-pem', tokenFile, '--trusted-pem', caFile, file],
      { encoding: 'utf8' },
    );
  }

  it('verifies the signature over Body and Timestamp', () => {
    const result = xmlsec1Verify(signed);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^OK$/m);
    assert.match(result.stderr, /SignedInfo References \(ok\/all\): 2\/2/);
  });

  it('finds the token certificate issued by the trusted CA', () => {
    const result = spawnSync('/usr/bin/openssl', ['verify', '-CAfile', caFile, tokenFile], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /: OK/);
  });

  it('fails a message whose Body was changed after signing', () => {
    const result = xmlsec1Verify(signed.replace('checked', 'changed'));
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /FAIL|failed/);
  });
});
