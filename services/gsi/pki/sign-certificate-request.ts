/**
 * The CA's side of `grid-cert-request`: sign a user's or a host's PKCS#10 request (what GCT's
 * `grid-ca-sign` does). A request whose last CN is `host/<DNS name>` or `<service>/<DNS name>`
 * (what `grid-cert-request -host` makes) becomes a host certificate: TLS server and client, with
 * the DNS name as subjectAltName; any other becomes a user certificate. The request must carry its own valid signature, an RSA key of at least
 * 2048 bits, and a subject inside the CA's namespace (the `cond_subjects` of its signing policy);
 * anything else is refused with the reason, and nothing is signed.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { globusDnFromForgeAttributes, globusDnToForgeAttributes } from '../dn.ts';
import { gsiError } from '../errors.ts';
import type { CertificateAuthority } from './certificate-authority.ts';
import { hostCertificateExtensions, hostNameOfCommonName, USER_CERTIFICATE_EXTENSIONS } from './issue-certificate.ts';
import { mintCertificate, validityWindow } from './mint-certificate.ts';

export const MIN_REQUEST_KEY_BITS = 2048;

export interface SignRequestOptions {
  readonly days: number;
  /** Globus DN prefix every subject must start with, e.g. `/O=Grid/OU=Weft/`. */
  readonly namespace: string;
  readonly now?: Date;
}

export interface SignedRequest {
  readonly certPem: string;
  readonly subjectDn: string;
  /** The DNS name of a host certificate; absent for a user certificate. */
  readonly hostname?: string;
}

/** Signs `csrPem` with the CA; returns the certificate (PEM), its Globus subject and kind. */
export function signCertificateRequest(ca: CertificateAuthority, csrPem: string, options: SignRequestOptions): SignedRequest {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (error) {
    throw gsiError('GSI_BAD_CERT_REQUEST', `the file is not a PKCS#10 certificate request (${String(error)})`);
  }
  if (!csr.verify()) {
    throw gsiError('GSI_BAD_CERT_REQUEST', 'the certificate request is not signed by its own key (it was altered)');
  }
  const rsaKey = csr.publicKey as forge.pki.rsa.PublicKey | null;
  const bits = rsaKey?.n ? rsaKey.n.bitLength() : 0;
  if (bits < MIN_REQUEST_KEY_BITS) {
    throw gsiError('GSI_WEAK_KEY', `the request's key has ${bits} bits, and this CA signs only keys of ${MIN_REQUEST_KEY_BITS} bits or more`);
  }
  const subjectDn = globusDnFromForgeAttributes(csr.subject.attributes);
  if (!subjectDn.toLowerCase().startsWith(options.namespace.toLowerCase())) {
    throw gsiError('GSI_OUTSIDE_SIGNING_POLICY', `the subject ${subjectDn} is outside the CA's namespace ${options.namespace}*`);
  }
  const commonNames = csr.subject.attributes.filter((attribute) => attribute.shortName === 'CN');
  const hostname = hostNameOfCommonName(String(commonNames.at(-1)?.value ?? ''));
  const certPem = mintCertificate({
    subject: globusDnToForgeAttributes(subjectDn),
    publicKey: createPublicKey(forge.pki.publicKeyToPem(rsaKey!)),
    signer: { certPem: ca.certPem, privateKey: createPrivateKey(ca.keyPem) },
    ...validityWindow(options.days, options.now),
    extensions:
      hostname === undefined
        ? [...USER_CERTIFICATE_EXTENSIONS]
        : [{ name: 'basicConstraints', critical: true, cA: false }, ...hostCertificateExtensions(hostname)],
  });
  return { certPem, subjectDn, ...(hostname === undefined ? {} : { hostname }) };
}
