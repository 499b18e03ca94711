/**
 * Every fault the GSI layer can raise. Messages finish the sentence
 * "the request was refused because …" and name the certificate, file or DN concerned; hints say
 * what the person should do. No message or detail ever carries key material.
 */
import { errorTable } from '../common/errors.ts';

export const gsiError = errorTable({
  GSI_NO_CLIENT_CERT: {
    side: 'client',
    retryable: false,
    hint: 'Connect with a certificate or proxy (run grid-proxy-init, or set X509_USER_CERT and X509_USER_KEY), or sign the message with WS-Security (weft --sign, or zeep BinarySignature).',
  },
  GSI_UNTRUSTED_CA: {
    side: 'client',
    retryable: false,
    hint: "Use a certificate from a CA this site trusts, or ask the site to install your CA's <hash>.0 file in its trusted certificates directory.",
  },
  GSI_SELF_SIGNED: {
    side: 'client',
    retryable: false,
    hint: 'Get a certificate from a CA the site trusts; for development use certs/user/usercert.pem made by scripts/make-dev-pki.ts.',
  },
  GSI_BAD_SIGNATURE: {
    side: 'client',
    retryable: false,
    hint: 'The certificate was altered or was not signed by the CA it names; get a fresh copy from your CA.',
  },
  GSI_EXPIRED: {
    side: 'client',
    retryable: false,
    hint: 'Renew the certificate, or make a new proxy with grid-proxy-init, and try again.',
  },
  GSI_NOT_YET_VALID: {
    side: 'client',
    // Usually clock skew or a freshly issued certificate: the same request will pass later.
    retryable: true,
    hint: 'Check the clocks on both machines (NTP); the certificate becomes valid at the time given.',
  },
  GSI_NOT_A_CA: {
    side: 'client',
    retryable: false,
    hint: 'Send only CA certificates above your own in the chain; a certificate that is not a CA (basicConstraints cA) cannot sign others.',
  },
  GSI_BAD_CHAIN_ORDER: {
    side: 'client',
    retryable: false,
    hint: 'Send the chain leaf first, each certificate followed by the one that signed it.',
  },
  GSI_CRL_REVOKED: {
    side: 'client',
    retryable: false,
    hint: 'Your CA has revoked this certificate; request a new one from the CA.',
  },
  GSI_CRL_INVALID: {
    side: 'server',
    retryable: true,
    hint: "The site's CRL for this CA is out of date or damaged; refresh it in the trusted certificates directory (fetch-crl, or scripts/make-dev-pki.ts for the dev CA).",
  },
  GSI_TRUST_DIR_NOT_FOUND: {
    side: 'server',
    retryable: false,
    hint: 'Set X509_CERT_DIR to a directory of <hash>.0 CA files, or run scripts/make-dev-pki.ts for the dev PKI.',
  },
  GSI_CREDENTIAL_NOT_FOUND: {
    side: 'client',
    retryable: false,
    hint: 'Run grid-proxy-init, or set X509_USER_CERT and X509_USER_KEY (or X509_USER_PROXY) to your credential files.',
  },
  GSI_CREDENTIAL_UNREADABLE: {
    side: 'client',
    retryable: false,
    hint: 'Check that the file is a PEM certificate or key you can read: openssl x509 -in FILE -noout -subject.',
  },
  GSI_KEY_PERMISSIONS: {
    side: 'client',
    retryable: false,
    hint: 'Make the key file readable by you alone: chmod 600 FILE (or 400), owned by you.',
  },
  GSI_NOT_AUTHORIZED: {
    side: 'client',
    retryable: false,
    hint: 'Ask the site administrator to map your DN to a local account in the grid-mapfile (grid-mapfile-add-entry).',
  },
  GSI_GRID_MAPFILE_SYNTAX: {
    side: 'server',
    retryable: false,
    hint: 'Fix the grid-mapfile lines named; each line reads "DN" account[,account...].',
  },
  GSI_BAD_DN: {
    side: 'client',
    retryable: false,
    hint: 'Write the DN in Globus form, attribute by attribute, e.g. /O=Grid/OU=Weft/CN=Dev User.',
  },
  GSI_PROXY_SUBJECT: {
    side: 'client',
    retryable: false,
    hint: "Make the proxy again with grid-proxy-init: a proxy's subject is its issuer's subject plus one CN component.",
  },
  GSI_PROXY_PATH_LENGTH: {
    side: 'client',
    retryable: false,
    hint: 'Make a proxy directly from a certificate or proxy that still allows one more level (grid-proxy-init -path-length), or use a shorter chain.',
  },
  GSI_PROXY_BAD_SIGNER: {
    side: 'client',
    retryable: false,
    hint: 'Sign proxies only with the key of the certificate named as their issuer, an end-entity certificate or proxy whose key usage allows digital signatures; make a new proxy with grid-proxy-init.',
  },
  GSI_PROXY_MALFORMED: {
    side: 'client',
    retryable: false,
    hint: 'Make an RFC 3820 proxy with grid-proxy-init -rfc (or weft grid-proxy-init); this certificate breaks the rules every proxy must keep.',
  },
  GSI_PROXY_POLICY: {
    side: 'client',
    retryable: false,
    hint: 'Use an impersonation, limited or independent proxy (grid-proxy-init, -limited, -independent); proxies restricted by other policy languages are not understood here.',
  },
  GSI_LIMITED_PROXY: {
    side: 'client',
    retryable: false,
    hint: 'A limited proxy cannot start jobs: make a full proxy with grid-proxy-init (without -limited) and submit again.',
  },
  GSI_BAD_PASS_PHRASE: {
    side: 'client',
    retryable: true,
    hint: 'Type the pass phrase of your private key again (it is case-sensitive); a forgotten one cannot be recovered, so ask your CA for a new certificate.',
  },
  GSI_KEY_MISMATCH: {
    side: 'client',
    retryable: false,
    hint: 'Point X509_USER_CERT and X509_USER_KEY (or -cert and -key) at a certificate and the private key made with it.',
  },
  GSI_WSSEC_MISSING: {
    side: 'client',
    retryable: false,
    hint: 'Sign the message the WS-Security X.509 way: one wsse:Security header holding a wsu:Timestamp, a BinarySecurityToken and one ds:Signature (weft --sign, or zeep BinarySignature with a Timestamp).',
  },
  GSI_WSSEC_BAD_SIGNATURE: {
    side: 'client',
    retryable: false,
    hint: 'Send the message exactly as it was signed, signed with RSA-SHA256 and exclusive c14n by the key of the certificate in the BinarySecurityToken.',
  },
  GSI_WSSEC_UNSIGNED_BODY: {
    side: 'client',
    retryable: false,
    hint: "Sign the envelope's own Body and the Security header's Timestamp, each with a unique wsu:Id; nothing else stands in for them.",
  },
  GSI_WSSEC_STALE: {
    side: 'client',
    // A fresh signature with a correct clock passes.
    retryable: true,
    hint: 'Sign each message just before sending it (the Timestamp is accepted for 5 minutes) and check the clocks on both machines (NTP).',
  },
  GSI_WSSEC_REPLAY: {
    side: 'client',
    retryable: false,
    hint: 'Sign every message afresh; a signed message is accepted once only.',
  },
  GSI_WEAK_KEY: {
    side: 'client',
    retryable: false,
    hint: 'Make a new request with an RSA key of at least 2048 bits (weft grid-cert-request -bits 2048).',
  },
  GSI_BAD_CERT_REQUEST: {
    side: 'client',
    retryable: false,
    hint: 'Send the PKCS#10 request file as grid-cert-request wrote it (usercert_request.pem), unchanged.',
  },
  GSI_OUTSIDE_SIGNING_POLICY: {
    side: 'client',
    retryable: false,
    hint: "Ask for a subject inside the CA's namespace (its .signing_policy), e.g. /O=Grid/OU=Weft/CN=Your Name.",
  },
});

/** The codes of `gsiError`, for callers that match on them. */
export type GsiErrorCode = keyof typeof gsiError.table;
