/**
 * What every operation handler receives besides its typed request: who is calling, how to log
 * about this call, and where the caller reached us (to build endpoint references).
 */
import type { Logger } from './logger.ts';

export interface CallContext {
  /** Globus-style DN of the authenticated end entity, e.g. `/O=Grid/OU=Weft/CN=Dev User`. */
  readonly identity: string;
  /**
   * True when the caller authenticated with a limited proxy (RFC 3820 limited policy, or a
   * legacy `CN=limited proxy`): it may read and manage, but not start jobs.
   */
  readonly limitedProxy?: boolean;
  /** A child logger carrying service, op, reqId and dn. */
  readonly logger: Logger;
  readonly requestId: string;
  /** `https://host:port` as the caller addressed the container. */
  readonly baseUrl: string;
}

/** A WSDL operation: typed request in, typed response out; throws only `GridError`s. */
export type Operation<Request, Response> = (request: Request, context: CallContext) => Promise<Response>;

/** A SOAP service as the container hosts it. */
export interface HostedService {
  /** The WSDL service name, also the last path segment: /wsrf/services/<name>. */
  readonly name: string;
  /** The WSDL file in wsdl/. */
  readonly wsdlFile: string;
  readonly operations: Readonly<Record<string, Operation<any, any>>>;
}
