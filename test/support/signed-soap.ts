/**
 * WS-Security messages a well-behaved client never sends, for the tests that check they are
 * refused: a Body changed after signing, a signature wrapped around a moved Body, a signature
 * over the Timestamp alone.
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { signEnvelope } from '../../services/gsi/index.ts';

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

/** The signed Body moved into a header of its own, and `bodyXml` put where the Body was. */
export function wrapSignedBody(signedXml: string, bodyXml: string): string {
  const doc = new DOMParser().parseFromString(signedXml, 'text/xml');
  const envelope = doc.documentElement!;
  const header = doc.getElementsByTagNameNS(SOAP, 'Header').item(0)!;
  const body = doc.getElementsByTagNameNS(SOAP, 'Body').item(0)!;
  const wrapper = doc.createElementNS('urn:wrapper', 'w:Wrapper');
  header.appendChild(wrapper);
  wrapper.appendChild(body);
  const fresh = new DOMParser().parseFromString(
    `<soap:Body xmlns:soap="${SOAP}" xmlns:g="http://weft.grid/ns/2026/gram">${bodyXml}</soap:Body>`,
    'text/xml',
  ).documentElement!;
  envelope.appendChild(doc.importNode(fresh, true));
  return new XMLSerializer().serializeToString(doc);
}

/** Signed the usual way, then the signature replaced by one that covers the Timestamp only. */
export function signTimestampOnly(xml: string, chainPems: readonly string[], keyPem: string): string {
  const doc = new DOMParser().parseFromString(signEnvelope(xml, { chainPems, privateKey: keyPem }), 'text/xml');
  const signature = doc.getElementsByTagNameNS(DS, 'Signature').item(0)!;
  const keyInfo = signature.getElementsByTagNameNS(DS, 'KeyInfo').item(0)!;
  const keyInfoXml = new XMLSerializer().serializeToString(keyInfo.firstChild!);
  signature.parentNode!.removeChild(signature);
  const timestampId = doc.getElementsByTagNameNS(WSU, 'Timestamp').item(0)!.getAttributeNS(WSU, 'Id');
  const signer = new SignedXml({
    idMode: 'wssecurity',
    privateKey: keyPem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    getKeyInfoContent: () => keyInfoXml,
  });
  signer.addReference({
    xpath: `//*[@*[local-name()='Id']='${timestampId}']`,
    transforms: ['http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(new XMLSerializer().serializeToString(doc), {
    prefix: 'ds',
    location: { reference: "//*[local-name()='Security']", action: 'append' },
  });
  return signer.getSignedXml();
}
