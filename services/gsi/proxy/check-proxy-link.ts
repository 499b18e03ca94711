/**
 * The rules one proxy link must keep (RFC 3820 section 4.1, and the legacy Globus rules): the
 * proxy's subject is its issuer's plus one CN; its issuer is an end-entity certificate or
 * another proxy, whose key usage allows digital signatures and whose key made the signature;
 * the proxy itself is no CA, names no alternative subject or issuer, marks its proxyCertInfo
 * critical and speaks a policy language we understand. Chain-wide rules (path lengths, which
 * identity the chain carries) are in `proxy-chain.ts`.
 */
import { constants, publicDecrypt, type X509Certificate } from 'node:crypto';
import { globusSubjectOf } from '../certificate-names.ts';
import { DerTag, derChildren, parseDer } from '../der.ts';
import { gsiError } from '../errors.ts';
import {
  certificateExtensions,
  claimsToBeCa,
  keyUsageOf,
} from '../trust/certificate-extensions.ts';
import { subjectExtendsIssuer, type ProxyKind } from './proxy-cert-info.ts';

const dn = (cert: X509Certificate): string => globusSubjectOf(cert);

const SUBJECT_ALT_NAME_OID = '2.5.29.17';
const ISSUER_ALT_NAME_OID = '2.5.29.18';

/** The raw signature bits of a certificate (the BIT STRING after its algorithm). */
function signatureOf(cert: X509Certificate): Buffer {
  const bits = derChildren(parseDer(cert.raw))[2];
  if (!bits || bits.tag !== DerTag.BIT_STRING) {
    throw new Error('DER: certificate without signature');
  }
  return bits.contents.subarray(1);
}

/**
 * Whether `issuer`'s RSA key made `cert`'s signature, whatever was signed: PKCS#1 v1.5 padding
 * recovered intact means the key is right and the certificate was altered afterwards; broken
 * padding means another key signed it (or the signature bytes were damaged).
 */
function signedByKeyOf(cert: X509Certificate, issuer: X509Certificate): boolean {
  if (issuer.publicKey.asymmetricKeyType !== 'rsa') return false;
  try {
    publicDecrypt(
      { key: issuer.publicKey, padding: constants.RSA_PKCS1_PADDING },
      signatureOf(cert),
    );
    return true;
  } catch {
    return false;
  }
}

/** Checks that the certificate itself is shaped as a proxy must be. */
function checkProxyShape(proxy: X509Certificate, kind: ProxyKind): void {
  const details = { subject: dn(proxy) };
  if (kind.kind === 'draft') {
    throw gsiError(
      'GSI_PROXY_MALFORMED',
      `"${dn(proxy)}" is a pre-RFC (GSI-3 draft) proxy, which is not accepted; only RFC 3820 and legacy Globus proxies are`,
      details,
    );
  }
  if (proxy.ca || claimsToBeCa(proxy)) {
    throw gsiError(
      'GSI_PROXY_MALFORMED',
      `the proxy "${dn(proxy)}" claims to be a CA (basicConstraints cA), which no proxy may`,
      details,
    );
  }
  const extensions = certificateExtensions(proxy);
  const altName = extensions.find(
    (e) => e.oid === SUBJECT_ALT_NAME_OID || e.oid === ISSUER_ALT_NAME_OID,
  );
  if (altName) {
    throw gsiError(
      'GSI_PROXY_MALFORMED',
      `the proxy "${dn(proxy)}" carries a ${altName.oid === SUBJECT_ALT_NAME_OID ? 'subject' : 'issuer'} alternative name, which RFC 3820 forbids`,
      details,
    );
  }
  if (keyUsageOf(proxy)?.has('keyCertSign')) {
    throw gsiError(
      'GSI_PROXY_MALFORMED',
      `the proxy "${dn(proxy)}" has the keyCertSign key usage, which only CAs may have`,
      details,
    );
  }
  if (kind.kind === 'rfc3820') {
    if (!kind.info.critical) {
      throw gsiError(
        'GSI_PROXY_MALFORMED',
        `the proxy "${dn(proxy)}" has a proxyCertInfo extension that is not marked critical, as RFC 3820 requires`,
        details,
      );
    }
    if (kind.info.policy === undefined) {
      throw gsiError(
        'GSI_PROXY_POLICY',
        `the proxy "${dn(proxy)}" is restricted by the policy language ${kind.info.policyLanguage}, which is not understood here`,
        { ...details, policyLanguage: kind.info.policyLanguage },
      );
    }
  }
}

/**
 * One proxy link: `issuer` (whose name `proxy` already names, see validate-chain.ts) must be
 * entitled to sign `proxy` and must have signed it. `issuerKind` is the issuer's own proxy kind,
 * `undefined` for the end-entity certificate.
 */
export function checkProxyLink(
  proxy: X509Certificate,
  kind: ProxyKind,
  issuer: X509Certificate,
  issuerKind: ProxyKind | undefined,
): void {
  const details = { subject: dn(proxy), issuer: dn(issuer) };
  checkProxyShape(proxy, kind);
  const { extends: extendsIssuer } = subjectExtendsIssuer(proxy);
  if (!extendsIssuer) {
    throw gsiError(
      'GSI_PROXY_SUBJECT',
      `the proxy's subject "${dn(proxy)}" is not its issuer's subject "${dn(issuer)}" plus one CN component`,
      details,
    );
  }
  if (issuer.ca) {
    throw gsiError(
      'GSI_PROXY_BAD_SIGNER',
      `the proxy "${dn(proxy)}" was issued by the CA "${dn(issuer)}", but proxies are issued only by end-entity certificates or other proxies`,
      details,
    );
  }
  if (issuerKind && issuerKind.kind !== kind.kind) {
    throw gsiError(
      'GSI_PROXY_MALFORMED',
      `the ${kind.kind === 'legacy' ? 'legacy Globus' : 'RFC 3820'} proxy "${dn(proxy)}" was signed by a ${issuerKind.kind === 'legacy' ? 'legacy Globus' : 'RFC 3820'} proxy; one chain cannot mix the two kinds`,
      details,
    );
  }
  const usage = keyUsageOf(issuer);
  if (usage && !usage.has('digitalSignature')) {
    throw gsiError(
      'GSI_PROXY_BAD_SIGNER',
      `"${dn(issuer)}" signed the proxy "${dn(proxy)}", but its key usage does not allow digital signatures`,
      details,
    );
  }
  if (!proxy.verify(issuer.publicKey)) {
    if (signedByKeyOf(proxy, issuer)) {
      throw gsiError(
        'GSI_BAD_SIGNATURE',
        `the proxy "${dn(proxy)}" was altered after "${dn(issuer)}" signed it: its signature no longer matches its contents`,
        details,
      );
    }
    throw gsiError(
      'GSI_PROXY_BAD_SIGNER',
      `the proxy "${dn(proxy)}" was not signed with the key of "${dn(issuer)}", the certificate it names as its issuer (another key signed it, or its signature was damaged)`,
      details,
    );
  }
}
