/**
 * Makes a certificate authority: a root (self-signed) or, given an issuer, a subordinate CA.
 * The dev PKI uses one root; tests use subordinates to exercise intermediate certificates.
 */
import { createPrivateKey } from 'node:crypto';
import { globusDnToForgeAttributes } from '../dn.ts';
import {
  generateRsaKeyPair,
  mintCertificate,
  validityWindow,
  type PemCredential,
} from './mint-certificate.ts';

/** A CA's certificate and its unencrypted PKCS#8 private key. */
export type CertificateAuthority = PemCredential;

export interface CreateCertificateAuthorityOptions {
  /** Globus form, e.g. `/O=Grid/OU=Weft/CN=Weft Dev CA`. */
  readonly subjectDn: string;
  readonly days: number;
  /** Signs the new CA; omit for a self-signed root. */
  readonly issuer?: CertificateAuthority;
  /** Only for subordinate CAs: how many further CAs may sit below this one. */
  readonly pathLength?: number;
  readonly keyBits?: number;
  /** The moment validity is counted from (tests use it to make expired CAs). */
  readonly now?: Date;
}

/** Creates a CA certificate and key (basicConstraints cA, keyCertSign + cRLSign, critical). */
export async function createCertificateAuthority(
  options: CreateCertificateAuthorityOptions,
): Promise<CertificateAuthority> {
  const { publicKey, privateKey } = await generateRsaKeyPair(options.keyBits);
  const certPem = mintCertificate({
    subject: globusDnToForgeAttributes(options.subjectDn),
    publicKey,
    signer: options.issuer
      ? { certPem: options.issuer.certPem, privateKey: createPrivateKey(options.issuer.keyPem) }
      : { privateKey },
    ...validityWindow(options.days, options.now),
    extensions: [
      {
        name: 'basicConstraints',
        critical: true,
        cA: true,
        ...(options.pathLength === undefined ? {} : { pathLenConstraint: options.pathLength }),
      },
      { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
    ],
  });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
