import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSoapXml } from '../../../services/container/xml-guard.ts';

const SOAP = 'xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"';

describe('the XML gate', () => {
  it('names the operation inside the Body', () => {
    assert.equal(checkSoapXml(`<s:Envelope ${SOAP}><s:Header/><s:Body><g:getStatus xmlns:g="x"/></s:Body></s:Envelope>`), 'getStatus');
  });

  it('refuses DTDs, however they are spelled', () => {
    for (const xml of ['<!DOCTYPE a><a/>', '<a><!doctype b></a>', '<!ENTITY x "y">']) {
      assert.throws(() => checkSoapXml(xml), { code: 'WEFT_XML_DTD_FORBIDDEN' });
    }
  });

  it('refuses malformed and empty bodies with the place of the error', () => {
    assert.throws(() => checkSoapXml('<a><b></a>'), { code: 'WEFT_XML_MALFORMED', message: /Line: 0/ });
    assert.throws(() => checkSoapXml('   '), { code: 'WEFT_NOT_SOAP' });
  });
});
