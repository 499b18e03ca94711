/**
 * Signs a SOAP envelope the WS-Security way (X.509 token profile 1.0): a mustUnderstand
 * `wsse:Security` header holding a `wsu:Timestamp` (Created, Expires = Created + 5 min), a
 * `wsse:BinarySecurityToken` with the signer's certificate (X509v3) or chain (X509PKIPathv1),
 * and a `ds:Signature` (RSA-SHA256, exclusive c14n, SHA-256 digests) over the Body and the
 * Timestamp, whose KeyInfo is a SecurityTokenReference to the token. The private key stays in
 * memory.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import {
  BASE64_ENCODING,
  DS_NS,
  EXC_C14N,
  RSA_SHA256,
  SHA256,
  SOAP11_NS,
  SOAP12_NS,
  WSSE_NS,
  WSU_NS,
} from './namespaces.ts';
import { encodeToken } from './security-token.ts';

export const DEFAULT_TIMESTAMP_SECONDS = 300;

export interface SignEnvelopeOptions {
  /** The signer's certificate first, then any certificates that signed it (proxy chains), PEM. */
  readonly chainPems: readonly string[];
  /** The private key of the first certificate, PEM or a KeyObject. */
  readonly privateKey: string | KeyObject;
  readonly now?: Date;
  /** Expires - Created; 300 s unless told. */
  readonly lifetimeSeconds?: number;
}

const child = (parent: Element, ns: string, local: string): Element | undefined => {
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === local) {
      return node as Element;
    }
  }
  return undefined;
};

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function element(doc: Document, ns: string, qname: string, text?: string): Element {
  const made = doc.createElementNS(ns, qname);
  if (text !== undefined) made.appendChild(doc.createTextNode(text));
  return made;
}

/** Returns `xml` signed; throws a plain Error when `xml` is not a SOAP envelope. */
export function signEnvelope(xml: string, options: SignEnvelopeOptions): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const envelope = doc.documentElement;
  const soapNs = envelope?.namespaceURI;
  if (!envelope || envelope.localName !== 'Envelope' || (soapNs !== SOAP11_NS && soapNs !== SOAP12_NS)) {
    throw new Error('signEnvelope: not a SOAP envelope');
  }
  const prefix = envelope.prefix ? `${envelope.prefix}:` : '';
  const body = child(envelope, soapNs, 'Body');
  if (!body) throw new Error('signEnvelope: the envelope has no Body');
  let header = child(envelope, soapNs, 'Header');
  if (!header) {
    header = element(doc, soapNs, `${prefix}Header`);
    envelope.insertBefore(header, body);
  }
  if (child(header, WSSE_NS, 'Security')) throw new Error('signEnvelope: the envelope is already signed');

  const ids = { body: `id-${randomUUID()}`, timestamp: `TS-${randomUUID()}`, token: `X509-${randomUUID()}` };
  body.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wsu', WSU_NS);
  body.setAttributeNS(WSU_NS, 'wsu:Id', ids.body);

  const security = element(doc, WSSE_NS, 'wsse:Security');
  security.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wsse', WSSE_NS);
  security.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wsu', WSU_NS);
  security.setAttributeNS(soapNs, `${prefix}mustUnderstand`, soapNs === SOAP11_NS ? '1' : 'true');
  const created = options.now ?? new Date();
  const expires = new Date(created.getTime() + (options.lifetimeSeconds ?? DEFAULT_TIMESTAMP_SECONDS) * 1000);
  const timestamp = element(doc, WSU_NS, 'wsu:Timestamp');
  timestamp.setAttributeNS(WSU_NS, 'wsu:Id', ids.timestamp);
  timestamp.appendChild(element(doc, WSU_NS, 'wsu:Created', isoSeconds(created)));
  timestamp.appendChild(element(doc, WSU_NS, 'wsu:Expires', isoSeconds(expires)));
  security.appendChild(timestamp);
  const token = encodeToken(options.chainPems);
  const binaryToken = element(doc, WSSE_NS, 'wsse:BinarySecurityToken', token.base64);
  binaryToken.setAttribute('EncodingType', BASE64_ENCODING);
  binaryToken.setAttribute('ValueType', token.valueType);
  binaryToken.setAttributeNS(WSU_NS, 'wsu:Id', ids.token);
  security.appendChild(binaryToken);
  header.insertBefore(security, header.firstChild);

  const signer = new SignedXml({
    idMode: 'wssecurity',
    privateKey: options.privateKey,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: () =>
      `<wsse:SecurityTokenReference xmlns:wsse="${WSSE_NS}">` +
      `<wsse:Reference URI="#${ids.token}" ValueType="${token.valueType}"/>` +
      `</wsse:SecurityTokenReference>`,
  });
  for (const id of [ids.body, ids.timestamp]) {
    signer.addReference({
      xpath: `//*[@*[local-name()='Id' and namespace-uri()='${WSU_NS}']='${id}']`,
      transforms: [EXC_C14N],
      digestAlgorithm: SHA256,
    });
  }
  signer.computeSignature(new XMLSerializer().serializeToString(doc), {
    prefix: 'ds',
    location: {
      reference: `//*[local-name()='Security' and namespace-uri()='${WSSE_NS}']`,
      action: 'append',
    },
    existingPrefixes: { ds: DS_NS },
  });
  return signer.getSignedXml();
}
