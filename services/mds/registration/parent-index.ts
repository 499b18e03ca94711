/**
 * Hierarchy (GRIS → GIIS): an IndexService with WEFT_MDS_PARENT set forwards every successful
 * register, refresh and unregister to the parent container's IndexService, so a VO-wide index
 * shows many sites. It calls with the container's host credentials — the caller's private key
 * never reaches the container — so the parent's site-admins file must list this container's
 * host DN (for `*` or for the sites it forwards). A refresh forwards the whole document as a
 * registerSite, so a forward that failed (parent down, TTL passed there) is repaired by the next
 * refresh. Forwards run one at a time, in order, after the local call has answered; a failure
 * is logged and never fails the local call.
 */
import { join } from 'node:path';
import * as soap from 'soap';
import type { Logger } from '../../common/logger.ts';
import { soapSiteDocument, type SiteDocument } from './site-document.ts';

export interface ParentIndex {
  registered(document: SiteDocument): void;
  unregistered(name: string): void;
  /** Resolves once every forward begun so far has finished (tests, shutdown). */
  settled(): Promise<void>;
}

export interface ParentIndexOptions {
  /** `https://host:port` of the parent container. */
  readonly contact: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPems: readonly string[];
  readonly wsdlDir: string;
  readonly logger: Logger;
  /** Per call, milliseconds. */
  readonly timeoutMs?: number;
}

export function createParentIndex(options: ParentIndexOptions): ParentIndex {
  const endpoint = `${options.contact.replace(/\/+$/, '')}/wsrf/services/IndexService`;
  const logger = options.logger.child({ op: 'forward', parent: endpoint });
  let client: Promise<soap.Client> | undefined;
  const connect = async () => {
    const made = await soap.createClientAsync(join(options.wsdlDir, 'IndexService.wsdl'), {}, endpoint);
    made.setSecurity(
      new soap.ClientSSLSecurity(
        Buffer.from(options.keyPem),
        Buffer.from(options.certPem),
        options.caPems.map((pem) => Buffer.from(pem)),
      ),
    );
    return made;
  };
  let chain: Promise<void> = Promise.resolve();
  const forward = (what: string, site: string, operation: string, args: object) => {
    chain = chain.then(async () => {
      try {
        client ??= connect();
        const made = await client;
        const method = made[`${operation}Async`] as (args: object, options: object) => Promise<unknown>;
        await method.call(made, args, { timeout: options.timeoutMs ?? 10_000 });
        logger.debug({ site }, `${what} forwarded`);
      } catch (error) {
        client = undefined;
        const fault = (error as { root?: { Envelope?: { Body?: { Fault?: { faultstring?: string } } } } }).root?.Envelope?.Body?.Fault;
        logger.warn({ site, reason: fault?.faultstring ?? (error as Error).message }, `could not forward the ${what} to the parent index; the next refresh tries again`);
      }
    });
  };
  return {
    registered: (document) => forward('registration', document.name, 'registerSite', { site: soapSiteDocument(document) }),
    unregistered: (name) => forward('unregistration', name, 'unregisterSite', { name }),
    settled: () => chain,
  };
}
