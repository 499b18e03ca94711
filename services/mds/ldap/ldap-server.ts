/**
 * The LDAPv3 face of the index, on ldapjs: anonymous and read-only. ldapjs parses requests and
 * routes them; the request guard sees every message first; searches are answered from the
 * directory with cached bytes in one write; writes are refused with insufficientAccessRights.
 *
 * Every connection gets TCP_NODELAY (ldapjs never sets it, and each answer would then wait for
 * the client's delayed ACK, ~40 ms), an idle timeout, and a deadline for finishing a message
 * once it has begun (slow-loris clients).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import ldap, { type LdapRequest, type LdapResponse, type SearchRequest } from 'ldapjs';
import type { Logger } from '../../common/logger.ts';
import type { Directory } from '../directory/directory.ts';
import { normalizeDn } from '../directory/dn.ts';
import { attributeKey } from '../directory/match-filter.ts';
import { normalizeValue } from '../directory/matching.ts';
import { mdsError } from '../errors.ts';
import { octetString } from './ber.ts';
import { convertFilter } from './convert-filter.ts';
import { message, resultOp } from './encode-response.ts';
import { PagedCursors } from './paged-results.ts';
import { MessageReader, type GuardLimits, type Verdict } from './request-guard.ts';
import { NOTICE_OF_DISCONNECTION_OID, OP, RESULT } from './result-codes.ts';
import { rootDseEntry } from './root-dse.ts';
import { answerSearch, type SearchContext } from './search-answer.ts';

export interface LdapServerOptions extends GuardLimits {
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
  /** How long a client may take to finish sending a message it has begun. */
  readonly requestTimeoutMs: number;
  readonly sizeLimit: number;
  readonly timeLimitSeconds: number;
  readonly maxPagedCursors: number;
  /** Answers waiting to be sent on one connection before it is dropped (a client not reading). */
  readonly maxPendingWriteBytes: number;
  /** A DN and password that may bind (still read-only); empty: only anonymous binds. */
  readonly bindDn: string;
  readonly bindPassword: string;
}

export interface LdapServer {
  listen(): Promise<number>;
  close(): Promise<void>;
  port(): number;
}

/** ldapjs logs through this; its chatter goes to our logger at debug level. */
function ldapjsLog(logger: Logger) {
  const noop = () => undefined;
  const debug = (...args: unknown[]) => logger.debug({ ldapjs: args.map(String).join(' ') }, 'ldapjs');
  const log = { trace: noop, debug: noop, info: noop, warn: debug, error: debug, fatal: debug, child: () => log };
  return log;
}

/** Normalises DNs with a bounded cache: clients repeat the same few bases. */
function cachedNormalizer(max: number): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    let ndn = cache.get(text);
    if (ndn === undefined) {
      ndn = normalizeDn(text);
      if (cache.size >= max) cache.clear();
      cache.set(text, ndn);
    }
    return ndn;
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createLdapServer(directory: Directory, options: LdapServerOptions, logger: Logger): LdapServer {
  const log = logger.child({ service: 'mds', op: 'ldap' });
  const sockets = new Set<Socket>();
  const cursorsOf = new WeakMap<Socket, PagedCursors>();
  /*
   * DNs exactly as each client sent them, by message ID: ldapjs re-formats DNs lossily (its
   * toString mangles some escapes), so handlers read the client's own text from here.
   */
  const sentDns = new WeakMap<Socket, Map<number, string>>();
  const sentDn = (request: LdapRequest): string => {
    const byId = sentDns.get(request.connection);
    const text = byId?.get(request.messageId);
    if (text === undefined) return request.dn.toString();
    byId?.delete(request.messageId);
    return text;
  };
  const normalize = cachedNormalizer(10_000);
  const rootDse = rootDseEntry();
  const checkDn = (text: string) => {
    try {
      normalize(text);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  const server = ldap.createServer({ log: ldapjsLog(log), connectionRouter: (socket) => accept(socket) });
  server.maxConnections = options.maxConnections;
  // Parser errors arrive here (ldapjs then drops that connection); without a listener they would throw.
  server.on('error', (error) => log.debug({ err: error }, 'ldap protocol error'));
  server.on('clientError', (error) => log.debug({ err: error }, 'ldap client error'));

  function refusal(verdict: Extract<Verdict, { kind: 'refuse' }>): Buffer {
    const tag = verdict.op === 'bind' ? OP.bindResponse : OP.searchResultDone;
    return message(verdict.messageId, resultOp(tag, verdict.code, '', verdict.reason));
  }

  function noticeOfDisconnection(reason: string): Buffer {
    const op = resultOp(OP.extendedResponse, RESULT.protocolError, '', reason, [octetString(NOTICE_OF_DISCONNECTION_OID, 0x8a)]);
    return message(0, op);
  }

  function accept(socket: Socket): void {
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs);
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      clearTimeout(slowTimer);
    });
    server.newConnection(socket);
    const connection = socket as Socket & { parser: { write(data: Buffer): boolean } };
    // Our reader replaces ldapjs's own 'data' listener; ldapjs's parser gets whole messages only.
    socket.removeAllListeners('data');
    const reader = new MessageReader(options, checkDn);
    cursorsOf.set(socket, new PagedCursors(options.maxPagedCursors));
    const dns = new Map<number, string>();
    sentDns.set(socket, dns);
    let slowTimer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => {
      for (const verdict of reader.push(chunk)) {
        if (verdict.kind === 'pass') {
          if (verdict.dn !== undefined) dns.set(verdict.messageId, verdict.dn);
          try {
            connection.parser.write(verdict.frame);
          } catch (error) {
            // ldapjs threw instead of answering: this connection's problem, not the server's.
            log.warn({ err: error, peer: socket.remoteAddress }, 'closing connection: ldapjs could not handle a request');
            socket.destroy();
            return;
          }
          dns.delete(verdict.messageId); // handled (or dropped by ldapjs) by now
        } else if (verdict.kind === 'refuse') {
          log.info({ code: verdict.code, reason: verdict.reason }, 'request refused');
          socket.write(refusal(verdict));
        } else {
          log.info({ reason: verdict.reason, peer: socket.remoteAddress }, 'closing connection');
          if (verdict.notify) socket.end(noticeOfDisconnection(verdict.reason));
          else socket.destroy();
          return;
        }
      }
      if (reader.pending && slowTimer === undefined) {
        slowTimer = setTimeout(() => {
          log.info({ peer: socket.remoteAddress }, 'closing connection: a request took too long to arrive');
          socket.destroy();
        }, options.requestTimeoutMs);
      } else if (!reader.pending && slowTimer !== undefined) {
        clearTimeout(slowTimer);
        slowTimer = undefined;
      }
    });
  }

  const searchContext = (socket: Socket): SearchContext => ({
    directory,
    rootDse,
    sizeLimit: options.sizeLimit,
    timeLimitSeconds: options.timeLimitSeconds,
    cursors: cursorsOf.get(socket) ?? new PagedCursors(options.maxPagedCursors),
    normalizeDn: normalize,
  });

  server.search('', (request: SearchRequest) => {
    const socket = request.connection;
    let answer: Buffer;
    try {
      answer = answerSearch(
        {
          messageId: request.messageId,
          base: sentDn(request),
          scope: request.scope,
          filter: convertFilter(request.filter),
          attributes: request.attributes,
          sizeLimit: request.sizeLimit,
          timeLimit: request.timeLimit,
          typesOnly: request.typesOnly,
          controls: request.controls,
        },
        searchContext(socket),
      );
    } catch (error) {
      log.error({ err: error }, 'search failed');
      answer = message(request.messageId, resultOp(OP.searchResultDone, RESULT.other, '', 'the index failed to answer; see its log'));
    }
    if (socket.writableLength > options.maxPendingWriteBytes) {
      log.info({ peer: socket.remoteAddress }, 'closing connection: the client does not read its answers');
      socket.destroy();
      return;
    }
    socket.write(answer);
  });

  const readOnly = (request: LdapRequest, response: LdapResponse) => {
    const error = mdsError('MDS_READ_ONLY', 'the index is read-only over LDAP');
    response.diagnosticMessage = `${error.code}: ${error.message}. ${error.hint}`;
    response.end(RESULT.insufficientAccessRights);
    log.info({ dn: request.dn.toString(), protocolOp: request.protocolOp }, 'write refused');
  };
  server.add('', readOnly);
  server.modify('', readOnly);
  server.del('', readOnly);
  server.modifyDN('', readOnly);

  server.bind('', (request, response, next) => {
    const name = sentDn(request);
    if (options.bindDn !== '' && request.credentials !== '' && sameSecret(request.credentials, options.bindPassword)) {
      try {
        if (normalize(name) === normalize(options.bindDn)) {
          response.end();
          next();
          return;
        }
      } catch {
        // an unparsable DN is simply not the configured one
      }
    }
    if (request.credentials === '') {
      response.diagnosticMessage = 'unauthenticated binds (a DN without a password) are refused; bind anonymously';
      response.end(RESULT.unwillingToPerform);
      return;
    }
    const error = mdsError('MDS_BIND_REFUSED', `the index does not accept a password for "${name}"`);
    response.diagnosticMessage = `${error.code}: ${error.message}. ${error.hint}`;
    response.end(RESULT.invalidCredentials);
  });

  server.compare('', (request, response) => {
    const dn = sentDn(request);
    let ndn: string;
    try {
      ndn = normalize(dn);
    } catch {
      response.diagnosticMessage = `the DN "${dn}" is not valid`;
      response.end(RESULT.invalidDNSyntax);
      return;
    }
    const entry = directory.get(ndn);
    if (!entry) {
      response.diagnosticMessage = `there is no entry ${dn} in the index`;
      response.end(RESULT.noSuchObject);
      return;
    }
    const attribute = entry.attributes.get(attributeKey(request.attribute));
    response.end(attribute !== undefined && attribute.normalized.includes(normalizeValue(String(request.value))));
  });

  let boundPort = 0;
  return {
    listen() {
      return new Promise<number>((resolve, reject) => {
        const failed = (error: NodeJS.ErrnoException) => {
          reject(mdsError('MDS_LISTEN_FAILED', `the index cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`));
        };
        server.server.once('error', failed);
        server.listen(options.port, options.host, () => {
          server.server.off('error', failed);
          const address = server.address();
          boundPort = typeof address === 'object' && address ? address.port : options.port;
          resolve(boundPort);
        });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
    port: () => boundPort,
  };
}
