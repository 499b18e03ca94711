/**
 * Who is calling, at either level: the TLS client chain (client-identity.ts) or a WS-Security
 * X.509 signature on the message (gsi wssec). Either is enough; when a request carries both,
 * both must validate and name the same end entity, so a signature cannot speak for someone
 * other than the party on the connection.
 */
import type { TLSSocket } from 'node:tls';
import {
  carriesMessageSignature,
  gsiError,
  verifyEnvelope,
  type ReplayCache,
  type TrustStore,
  type ValidatedChain,
} from '../gsi/index.ts';
import { authenticateCaller, hasClientCertificate } from './client-identity.ts';
import { checkSoapXml } from './xml-guard.ts';

/** The Redis key under which an accepted signature is remembered (SET NX, expiring). */
export const wssecReplayKey = (digest: string) => `weft:wssec:replay:${digest}`;

export interface MessageIdentityDeps {
  readonly trust: TrustStore;
  readonly replay: ReplayCache;
}

/** The caller's validated chain, or a GSI GridError saying why the request is refused. */
export async function authenticateRequest(
  socket: TLSSocket,
  xml: string,
  deps: MessageIdentityDeps,
): Promise<ValidatedChain> {
  const signed = carriesMessageSignature(xml);
  // A signed message is parsed for verification, so it meets the XML guard (no DTD) first.
  if (signed) checkSoapXml(xml);
  if (!signed || hasClientCertificate(socket)) {
    // Without a signature this is the TLS-only path, with its GSI_NO_CLIENT_CERT refusal.
    const transport = authenticateCaller(socket, deps.trust);
    if (!signed) return transport;
    const message = await verifyEnvelope(xml, deps);
    if (message.endEntity !== transport.endEntity || message.identity !== transport.identity) {
      throw gsiError(
        'GSI_WSSEC_BAD_SIGNATURE',
        `the message is signed by "${message.identity}" but the connection's certificate is "${transport.identity}"`,
      );
    }
    // The stricter of the two: a limited proxy at either level limits the call.
    return { ...transport, limited: transport.limited || message.limited };
  }
  return verifyEnvelope(xml, deps);
}
