/**
 * Verifies a WS-Security X.509 signature on a SOAP envelope and says who signed it.
 *
 * xml-crypto checks only the references a signature lists, and finds them by Id wherever they
 * are, so on its own it would bless a message whose signed Body was moved into a header and
 * replaced (signature wrapping). Here the signature must cover, by element identity, the
 * envelope's own Body and the Timestamp of its Security header, and every Id in the document
 * must be unique. The key is taken only from the token the signature names, never from
 * elsewhere in KeyInfo, and the token's chain is validated by GSI like a TLS client chain.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { gsiError } from '../errors.ts';
import { validateChain, type ValidatedChain } from '../trust/validate-chain.ts';
import type { TrustStore } from '../trust/trust-store.ts';
import {
  ACCEPTED_DIGEST_METHODS,
  ACCEPTED_SIGNATURE_METHODS,
  DS_NS,
  EXC_C14N,
  SOAP11_NS,
  SOAP12_NS,
  WSSE_NS,
  WSU_NS,
} from './namespaces.ts';
import type { ReplayCache } from './replay-cache.ts';
import { decodeToken } from './security-token.ts';

/** Clock skew allowed either way, and the longest a message lives after its Created time. */
export const DEFAULT_SKEW_SECONDS = 300;
export const DEFAULT_MAX_AGE_SECONDS = 300;

export interface VerifyEnvelopeOptions {
  readonly trust: TrustStore;
  readonly replay: ReplayCache;
  readonly now?: Date;
  readonly skewSeconds?: number;
  readonly maxAgeSeconds?: number;
}

export interface VerifiedEnvelope extends ValidatedChain {
  /** When the signature stops being accepted (Expires, or Created + max age, plus skew). */
  readonly acceptedUntil: Date;
}

const DTD_MARKERS = /<!(DOCTYPE|ENTITY)/i;
const ID_NAMES = new Set(['Id', 'ID', 'id']);
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

function elementChildren(parent: Element): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) found.push(node as Element);
  }
  return found;
}

const childrenNamed = (parent: Element, ns: string, local: string) =>
  elementChildren(parent).filter((el) => el.namespaceURI === ns && el.localName === local);

function missing(message: string): never {
  throw gsiError('GSI_WSSEC_MISSING', message);
}

function onlyChild(parent: Element, ns: string, local: string, where: string): Element {
  const found = childrenNamed(parent, ns, local);
  if (found.length !== 1) {
    missing(`the ${where} holds ${found.length} ${local} elements where exactly one belongs`);
  }
  return found[0]!;
}

function parse(xml: string): Document {
  if (DTD_MARKERS.test(xml)) {
    // Same rule as the container's XML guard: no DTD, so no entity ever reaches a parser.
    throw gsiError('GSI_WSSEC_MISSING', 'the message carries a DOCTYPE or ENTITY declaration');
  }
  let failure: string | undefined;
  const doc = new DOMParser({
    errorHandler: (level: string, message: string) => {
      if (level !== 'warning') failure ??= message;
    },
  }).parseFromString(xml, 'text/xml');
  if (failure !== undefined || !doc.documentElement) {
    missing(`the message is not well-formed XML (${failure ?? 'no root element'})`);
  }
  return doc;
}

interface EnvelopeParts {
  readonly envelope: Element;
  readonly body: Element;
  readonly security: Element | undefined;
}

function envelopeParts(doc: Document): EnvelopeParts {
  const envelope = doc.documentElement!;
  const soapNs = envelope.namespaceURI;
  if (envelope.localName !== 'Envelope' || (soapNs !== SOAP11_NS && soapNs !== SOAP12_NS)) {
    missing('the message is not a SOAP envelope');
  }
  const body = onlyChild(envelope, soapNs, 'Body', 'envelope');
  const headers = childrenNamed(envelope, soapNs, 'Header');
  if (headers.length > 1) missing('the envelope has more than one Header');
  const securities = headers[0] ? childrenNamed(headers[0], WSSE_NS, 'Security') : [];
  // One Security header for the ultimate receiver; actor/role-targeted ones are for others.
  const ours = securities.filter((el) => !el.getAttributeNS(soapNs, 'actor') && !el.getAttributeNS(soapNs, 'role'));
  if (ours.length > 1) missing('the envelope has more than one wsse:Security header for this service');
  return { envelope, body, security: ours[0] };
}

/** True when the envelope has a Security header for us holding a Signature (cheap pre-check). */
export function carriesMessageSignature(xml: string): boolean {
  if (!xml.includes(WSSE_NS) || !xml.includes(DS_NS)) return false;
  try {
    const { security } = envelopeParts(parse(xml));
    return security !== undefined && childrenNamed(security, DS_NS, 'Signature').length > 0;
  } catch {
    return true; // let verifyEnvelope report what is wrong
  }
}

/** Every element carrying an Id attribute (any namespace, as xml-crypto looks), unique or refused. */
function indexIds(doc: Document): Map<string, Element> {
  const byId = new Map<string, Element>();
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i += 1) {
    const el = all.item(i)!;
    for (let a = 0; a < el.attributes.length; a += 1) {
      const attr = el.attributes.item(a)!;
      const local = attr.localName ?? attr.name;
      if (!ID_NAMES.has(local)) continue;
      if (byId.has(attr.value)) {
        throw gsiError(
          'GSI_WSSEC_UNSIGNED_BODY',
          `two elements share the Id "${attr.value}", so what the signature covers is ambiguous`,
        );
      }
      byId.set(attr.value, el);
    }
  }
  return byId;
}

function tokenChain(keyInfo: Element, security: Element, byId: Map<string, Element>): X509Certificate[] {
  const str = onlyChild(keyInfo, WSSE_NS, 'SecurityTokenReference', 'Signature KeyInfo');
  const reference = childrenNamed(str, WSSE_NS, 'Reference')[0];
  if (reference) {
    const uri = reference.getAttribute('URI') ?? '';
    const token = uri.startsWith('#') ? byId.get(uri.slice(1)) : undefined;
    if (!token || token.parentNode !== security || token.namespaceURI !== WSSE_NS || token.localName !== 'BinarySecurityToken') {
      missing(`the signature's key refers to "${uri}", which is not a BinarySecurityToken in the Security header`);
    }
    const chain = decodeToken(token.getAttribute('ValueType') ?? '', token.textContent ?? '');
    if (!chain) missing('the BinarySecurityToken is not an X509v3 or X509PKIPathv1 token this service can read');
    return chain;
  }
  // zeep's Signature (not Binary) puts the certificate itself inside the reference.
  const data = childrenNamed(str, DS_NS, 'X509Data')[0];
  const cert = data ? childrenNamed(data, DS_NS, 'X509Certificate')[0] : undefined;
  const chain = cert ? decodeToken('', cert.textContent ?? '') : undefined;
  if (!chain) missing('the signature names no certificate this service can read');
  return chain;
}

function checkTimestamp(timestamp: Element, now: number, skewMs: number, maxAgeMs: number): number {
  const created = onlyChild(timestamp, WSU_NS, 'Created', 'Timestamp').textContent?.trim() ?? '';
  const expiresEls = childrenNamed(timestamp, WSU_NS, 'Expires');
  if (!TIME.test(created)) missing(`the Timestamp's Created "${created}" is not an xsd:dateTime with a zone`);
  const createdMs = Date.parse(created);
  let until = createdMs + maxAgeMs;
  if (expiresEls.length > 1) missing('the Timestamp has more than one Expires');
  if (expiresEls[0]) {
    const expires = expiresEls[0].textContent?.trim() ?? '';
    if (!TIME.test(expires)) missing(`the Timestamp's Expires "${expires}" is not an xsd:dateTime with a zone`);
    until = Math.min(until, Date.parse(expires));
  }
  if (createdMs > now + skewMs) {
    throw gsiError('GSI_WSSEC_STALE', `the message was created at ${created}, in the future beyond the allowed clock skew`);
  }
  if (until + skewMs < now) {
    throw gsiError('GSI_WSSEC_STALE', `the message's Timestamp (created ${created}) expired at ${new Date(until).toISOString()}`);
  }
  return until + skewMs;
}

/**
 * Verifies the message signature of `xml`; returns the signer's validated chain, or throws a
 * GSI GridError. Records the signature in `replay` only once everything else has passed, so
 * that a forged copy cannot use up a genuine message.
 */
export async function verifyEnvelope(xml: string, options: VerifyEnvelopeOptions): Promise<VerifiedEnvelope> {
  const now = options.now ?? new Date();
  const skewMs = (options.skewSeconds ?? DEFAULT_SKEW_SECONDS) * 1000;
  const maxAgeMs = (options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
  const doc = parse(xml);
  const { body, security } = envelopeParts(doc);
  if (!security) missing('the message has no wsse:Security header');
  const signatures = childrenNamed(security, DS_NS, 'Signature');
  if (signatures.length !== 1) missing(`the Security header holds ${signatures.length} signatures where exactly one belongs`);
  const signature = signatures[0]!;
  const timestamp = onlyChild(security, WSU_NS, 'Timestamp', 'Security header');
  const byId = indexIds(doc);
  const chain = tokenChain(onlyChild(signature, DS_NS, 'KeyInfo', 'Signature'), security, byId);

  const verifier = new SignedXml({
    publicCert: chain[0]!.toString(),
    // Never take a key from KeyInfo: the token above is the only key we trust to check against.
    getCertFromKeyInfo: () => null,
  });
  verifier.loadSignature(signature);
  const method = verifier.signatureAlgorithm ?? '';
  if (!ACCEPTED_SIGNATURE_METHODS.has(method)) {
    throw gsiError('GSI_WSSEC_BAD_SIGNATURE', `the signature uses ${method || 'no algorithm'}, and only RSA-SHA256 or RSA-SHA512 are accepted`);
  }
  if (verifier.canonicalizationAlgorithm !== EXC_C14N) {
    throw gsiError('GSI_WSSEC_BAD_SIGNATURE', 'the signature must use exclusive canonicalization (xml-exc-c14n)');
  }
  let valid = false;
  try {
    valid = verifier.checkSignature(xml);
  } catch (error) {
    throw gsiError('GSI_WSSEC_BAD_SIGNATURE', `the signature does not match the message (${(error as Error).message.slice(0, 200)})`);
  }
  if (!valid) {
    throw gsiError('GSI_WSSEC_BAD_SIGNATURE', 'the signature does not match the message: a signed part was changed after signing');
  }

  // What the verified SignedInfo covers, resolved in our own parse by the same unique-Id rule.
  const covered = new Set<Element>();
  for (const reference of verifier.getReferences()) {
    if (!ACCEPTED_DIGEST_METHODS.has(reference.digestAlgorithm)) {
      throw gsiError('GSI_WSSEC_BAD_SIGNATURE', `a reference uses the digest ${reference.digestAlgorithm}; only SHA-256 or SHA-512 are accepted`);
    }
    if (!reference.uri.startsWith('#')) continue;
    const el = byId.get(reference.uri.slice(1));
    if (el) covered.add(el);
  }
  if (!covered.has(body)) {
    throw gsiError('GSI_WSSEC_UNSIGNED_BODY', "the signature does not cover this envelope's Body");
  }
  if (!covered.has(timestamp)) {
    throw gsiError('GSI_WSSEC_UNSIGNED_BODY', "the signature does not cover the Security header's Timestamp");
  }

  const acceptedUntil = checkTimestamp(timestamp, now.getTime(), skewMs, maxAgeMs);
  const validated = validateChain(chain, options.trust, now);
  const signatureValue = (onlyChild(signature, DS_NS, 'SignatureValue', 'Signature').textContent ?? '').replace(/\s+/g, '');
  const replayKey = createHash('sha256').update(signatureValue).digest('hex');
  if (!(await options.replay.remember(replayKey, acceptedUntil - now.getTime()))) {
    throw gsiError('GSI_WSSEC_REPLAY', 'this signed message was already received once');
  }
  return { ...validated, acceptedUntil: new Date(acceptedUntil) };
}
