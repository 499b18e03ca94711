/**
 * Message-level security for the node-soap client: a `setSecurity` handler that signs every
 * request with WS-Security (gsi `signEnvelope`) after node-soap has built it, and hands the TLS
 * options to node-soap's ClientSSLSecurity, so that both levels work together. With
 * `presentCertificate: false` the connection carries no client certificate and the signature
 * alone authenticates the call (the container accepts either).
 */
import { createPrivateKey } from 'node:crypto';
import * as soap from 'soap';
import { signEnvelope } from '../gsi/index.ts';
import { cliError } from './errors.ts';

/** How a CLI call authenticates: TLS only, TLS and a signature, or a signature only. */
export type MessageSecurity = 'off' | 'sign' | 'sign-only';

/** `WEFT_WSSEC`: unset/0 → off, 1 → sign (and TLS), only → sign without a client certificate. */
export function messageSecurityFrom(value: string | undefined): MessageSecurity {
  if (value === undefined || value === '' || value === '0') return 'off';
  if (value === '1') return 'sign';
  if (value === 'only') return 'sign-only';
  throw cliError('CLI_USAGE', `WEFT_WSSEC is "${value}"; use 1 (sign as well as TLS), only (sign, no TLS client certificate) or 0`);
}

export interface SigningCredentials {
  readonly certPem: string;
  readonly keyPem: string;
  readonly chainPems: readonly string[];
  readonly caPems: readonly string[];
}

export class SignedSslSecurity implements soap.ISecurity {
  readonly #tls: soap.ClientSSLSecurity;
  readonly #chainPems: readonly string[];
  readonly #key;

  constructor(credentials: SigningCredentials, presentCertificate: boolean, defaults: object) {
    const certChain = [credentials.certPem, ...credentials.chainPems];
    this.#tls = new soap.ClientSSLSecurity(
      presentCertificate ? Buffer.from(credentials.keyPem) : '',
      presentCertificate ? Buffer.from(certChain.join('\n')) : '',
      credentials.caPems.map((pem) => Buffer.from(pem)),
      defaults,
    );
    this.#chainPems = certChain;
    this.#key = createPrivateKey(credentials.keyPem);
  }

  addOptions(options: object): void {
    this.#tls.addOptions(options);
  }

  postProcess(xml: string): string {
    return signEnvelope(xml, { chainPems: this.#chainPems, privateKey: this.#key });
  }
}
