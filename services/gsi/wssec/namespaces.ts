/** The namespace and type URIs of WS-Security 1.0 and its X.509 token profile. */
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

const X509_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0';
/** One certificate, DER: what zeep's BinarySignature sends. */
export const X509V3_TOKEN = `${X509_PROFILE}#X509v3`;
/** A certificate path, DER `SEQUENCE OF Certificate`, most trusted first, the signer last. */
export const PKIPATH_TOKEN = `${X509_PROFILE}#X509PKIPathv1`;
export const BASE64_ENCODING =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** What a verifier accepts: SHA-1 is refused on purpose (zeep must be told to use SHA-256). */
export const ACCEPTED_SIGNATURE_METHODS: ReadonlySet<string> = new Set([
  RSA_SHA256,
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
export const ACCEPTED_DIGEST_METHODS: ReadonlySet<string> = new Set([
  SHA256,
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);
