/**
 * The delegatee's half of delegation: a 2048-bit key pair made with Node's crypto and a PKCS#10
 * request for it built with node-forge (one forge signature per delegation). The delegator
 * reads the public key back out of the request and signs a proxy for it.
 */
import { createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { delegationError } from './errors.ts';

export const DELEGATION_KEY_BITS = 2048;

export interface DelegationRequest {
  readonly csrPem: string;
  /** PKCS#8 PEM, unencrypted: seal it before it leaves the process. */
  readonly keyPem: string;
  /** The public key, SPKI DER base64, to match the proxy that comes back. */
  readonly spki: string;
}

/** The public half of `key` (public or private), SPKI DER in base64. */
export function spkiOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

export async function makeDelegationRequest(bits = DELEGATION_KEY_BITS): Promise<DelegationRequest> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: bits });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  csr.setSubject([{ name: 'commonName', value: 'Weft delegation request' }]);
  csr.sign(forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { csrPem: forge.pki.certificationRequestToPem(csr), keyPem, spki: spkiOf(publicKey) };
}

/** The public key of a request whose self-signature holds. */
export function publicKeyOfRequest(csrPem: string): KeyObject {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (error) {
    throw delegationError('DELEGATION_BAD_CHAIN', `the certificate request is not PKCS#10 PEM: ${String(error)}`);
  }
  if (!csr.verify()) throw delegationError('DELEGATION_BAD_CHAIN', 'the certificate request is not signed by its own key');
  return createPublicKey(forge.pki.publicKeyToPem(csr.publicKey as forge.pki.rsa.PublicKey));
}
