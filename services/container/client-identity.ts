/**
 * Who is calling: the TLS client certificate chain, checked by our own validator. Node's TLS is
 * told to ask for a certificate but not to judge it, because it cannot verify RFC 3820 proxy
 * chains; GSI decides, and the caller is the end entity behind any proxies.
 */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';
import { gsiError, validateChain, type TrustStore, type ValidatedChain } from '../gsi/index.ts';

/** The peer's chain as it sent it, leaf first, as X509Certificate objects. */
function peerChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (current?.raw && current.raw.length > 0) {
    const fingerprint = current.fingerprint256;
    if (seen.has(fingerprint)) break; // a self-signed root points at itself
    seen.add(fingerprint);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/** Whether the peer presented any certificate at all. */
export function hasClientCertificate(socket: TLSSocket): boolean {
  return peerChain(socket).length > 0;
}

/**
 * The caller's validated chain: identity, and whether it came through a limited proxy (which
 * may not start jobs), or a GSI GridError saying why it is refused.
 */
export function authenticateCaller(socket: TLSSocket, trust: TrustStore): ValidatedChain {
  const chain = peerChain(socket);
  if (chain.length === 0) {
    throw gsiError(
      'GSI_NO_CLIENT_CERT',
      'the request came without a client certificate and without a WS-Security signature, and every Weft service needs one or the other',
    );
  }
  return validateChain(chain, trust);
}
