/**
 * The part of ldapjs 3 (which ships no types) that the index uses: the server, its request
 * objects, and the filter objects its parser builds.
 */
declare module 'ldapjs' {
  import type { Server as NetServer, Socket } from 'node:net';

  export interface LdapDn {
    toString(): string;
  }

  export interface LdapControl {
    readonly type: string;
    readonly criticality: boolean;
    readonly value?: unknown;
  }

  /** An @ldapjs/filter object; which fields exist depends on `type`. */
  export interface LdapFilter {
    readonly type: string;
    readonly attribute?: string;
    readonly value?: unknown;
    readonly clauses: readonly LdapFilter[];
    readonly filter?: LdapFilter;
    readonly initial?: string;
    readonly any?: readonly string[];
    readonly final?: string;
    readonly matchingRule?: string;
    readonly dnAttributes?: boolean;
    toString(): string;
  }

  export interface LdapConnection extends Socket {
    parser: { write(data: Buffer): boolean };
  }

  export interface LdapRequest {
    readonly messageId: number;
    readonly protocolOp: number;
    readonly dn: LdapDn;
    readonly controls: readonly LdapControl[];
    readonly connection: LdapConnection;
  }

  export interface SearchRequest extends LdapRequest {
    readonly scope: number;
    readonly filter: LdapFilter;
    readonly attributes: readonly string[];
    readonly sizeLimit: number;
    readonly timeLimit: number;
    readonly typesOnly: boolean;
  }

  export interface BindRequest extends LdapRequest {
    readonly credentials: string;
    readonly authentication: string;
  }

  export interface CompareRequest extends LdapRequest {
    readonly attribute: string;
    readonly value: string;
  }

  export interface LdapResponse {
    diagnosticMessage: string;
    matchedDN: string;
    end(status?: number | boolean): void;
  }

  export type Handler<R extends LdapRequest> = (request: R, response: LdapResponse, next: () => void) => void;

  export interface Server {
    readonly server: NetServer;
    maxConnections: number;
    newConnection(connection: Socket): void;
    listen(port: number, host: string, callback: () => void): void;
    close(callback?: (error?: Error) => void): void;
    address(): ReturnType<NetServer['address']>;
    on(event: 'error' | 'clientError', listener: (error: Error) => void): this;
    search(base: string, handler: Handler<SearchRequest>): this;
    bind(base: string, handler: Handler<BindRequest>): this;
    compare(base: string, handler: Handler<CompareRequest>): this;
    add(base: string, handler: Handler<LdapRequest>): this;
    modify(base: string, handler: Handler<LdapRequest>): this;
    del(base: string, handler: Handler<LdapRequest>): this;
    modifyDN(base: string, handler: Handler<LdapRequest>): this;
  }

  export interface ServerOptions {
    readonly log?: unknown;
    readonly connectionRouter?: (connection: Socket) => void;
  }

  const ldap: { createServer(options?: ServerOptions): Server };
  export default ldap;
}
