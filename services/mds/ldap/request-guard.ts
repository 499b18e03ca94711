/**
 * Stands between a client's socket and the ldapjs parser. It cuts the byte stream into whole
 * LDAPMessages itself (ldapjs re-concatenates its buffer on every chunk), and looks at each
 * before ldapjs does:
 *
 * - a message longer than `maxMessageBytes` is not buffered: the client gets a notice of
 *   disconnection and the connection closes;
 * - a search whose filter nests deeper than `maxFilterDepth` or is longer than
 *   `maxFilterBytes` is answered here (unwillingToPerform / adminLimitExceeded) and never
 *   reaches a recursive parser;
 * - a search with a malformed base DN or an unknown scope is answered here (ldapjs would drop
 *   the connection instead of answering invalidDNSyntax);
 * - a SASL bind is answered authMethodNotSupported (ldapjs would drop the connection);
 * - bytes that are not BER close that connection only.
 *
 * The filter walk is iterative and stops as soon as a bound is passed, so a 2,000-deep filter
 * costs a few microseconds.
 */
import { mdsError, type MdsErrorCode } from '../errors.ts';
import { readHeader, readSmallInteger, type Header } from './ber.ts';

/** A diagnostic message with the error's code and hint, for the client to read. */
export function diagnostic(code: MdsErrorCode, message: string): string {
  const error = mdsError(code, message);
  return `${error.code}: ${error.message}. ${error.hint}`;
}

export interface GuardLimits {
  readonly maxMessageBytes: number;
  readonly maxFilterDepth: number;
  readonly maxFilterBytes: number;
}

/** Says why a DN is not valid, or undefined when it is. */
export type DnCheck = (text: string) => string | undefined;

/** What to do with one complete message. */
export type Verdict =
  | {
      readonly kind: 'pass';
      readonly frame: Buffer;
      readonly messageId: number;
      /** The DN of a search (base), compare (entry) or bind (name) exactly as the client sent it. */
      readonly dn?: string;
    }
  | { readonly kind: 'refuse'; readonly messageId: number; readonly op: 'search' | 'bind'; readonly code: number; readonly reason: string }
  | { readonly kind: 'close'; readonly reason: string; readonly notify: boolean };

const SEARCH_REQUEST = 0x63;
const BIND_REQUEST = 0x60;
const COMPARE_REQUEST = 0x6e;
const SASL_CREDENTIALS = 0xa3;
const FILTER_AND = 0xa0;
const FILTER_OR = 0xa1;
const FILTER_NOT = 0xa2;

/** Result of measuring a filter: its depth and whether it stayed within the limits. */
type FilterMeasure = { ok: true } | { ok: false; code: number; reason: string } | { ok: 'invalid' };

/** Walks a filter TLV without recursion: depth of and/or/not nesting plus the item below. */
export function measureFilter(buffer: Buffer, start: number, end: number, limits: GuardLimits): FilterMeasure {
  if (end - start > limits.maxFilterBytes) {
    return { ok: false, code: 11, reason: diagnostic('MDS_FILTER_TOO_LONG', `the filter is ${end - start} bytes long; the index accepts at most ${limits.maxFilterBytes}`) };
  }
  const open: number[] = []; // end offsets of the and/or/not items we are inside
  let position = start;
  while (position < end) {
    while (open.length > 0 && position >= (open[open.length - 1] as number)) open.pop();
    const header = readHeader(buffer, position, end);
    if (header === undefined || header === 'invalid') return { ok: 'invalid' };
    const itemEnd = header.contentStart + header.length;
    if (itemEnd > end || (open.length > 0 && itemEnd > (open[open.length - 1] as number))) return { ok: 'invalid' };
    const depth = open.length + 1;
    if (depth > limits.maxFilterDepth) {
      return { ok: false, code: 53, reason: diagnostic('MDS_FILTER_TOO_DEEP', `the filter nests more than ${limits.maxFilterDepth} levels deep`) };
    }
    if (header.tag === FILTER_AND || header.tag === FILTER_OR || header.tag === FILTER_NOT) {
      open.push(itemEnd);
      position = header.contentStart;
    } else {
      position = itemEnd;
    }
  }
  return { ok: true };
}

/** Skips one TLV inside [offset, end); undefined when it does not fit. */
function next(buffer: Buffer, offset: number, end: number): Header | undefined {
  const header = readHeader(buffer, offset, end);
  if (header === undefined || header === 'invalid' || header.contentStart + header.length > end) return undefined;
  return header;
}

function stringAt(frame: Buffer, header: Header): string {
  return frame.toString('utf8', header.contentStart, header.contentStart + header.length);
}

/** Judges one complete LDAPMessage `frame`. */
export function judgeMessage(frame: Buffer, limits: GuardLimits, checkDn?: DnCheck): Verdict {
  const envelope = next(frame, 0, frame.length);
  if (!envelope) return { kind: 'close', reason: 'the message is not BER', notify: false };
  const end = envelope.contentStart + envelope.length;
  const id = next(frame, envelope.contentStart, end);
  if (!id || id.tag !== 0x02) return { kind: 'close', reason: 'the message has no message ID', notify: false };
  const messageId = readSmallInteger(frame, id);
  const op = next(frame, id.contentStart + id.length, end);
  if (!op) return { kind: 'close', reason: 'the message has no operation', notify: false };
  const opEnd = op.contentStart + op.length;

  if (op.tag === BIND_REQUEST) {
    const version = next(frame, op.contentStart, opEnd);
    const name = version && next(frame, version.contentStart + version.length, opEnd);
    const auth = name && next(frame, name.contentStart + name.length, opEnd);
    if (auth && auth.tag === SASL_CREDENTIALS) {
      return { kind: 'refuse', messageId, op: 'bind', code: 7, reason: diagnostic('MDS_UNSUPPORTED', 'SASL binds are not supported (ldapsearch -x binds simply)') };
    }
    return { kind: 'pass', frame, messageId, ...(name ? { dn: stringAt(frame, name) } : {}) };
  }
  if (op.tag === COMPARE_REQUEST) {
    const entry = next(frame, op.contentStart, opEnd);
    return { kind: 'pass', frame, messageId, ...(entry ? { dn: stringAt(frame, entry) } : {}) };
  }
  if (op.tag !== SEARCH_REQUEST) return { kind: 'pass', frame, messageId };

  // SearchRequest: baseObject, scope, derefAliases, sizeLimit, timeLimit, typesOnly, filter, attributes.
  let position = op.contentStart;
  let base = '';
  for (let field = 0; field < 6; field += 1) {
    const header = next(frame, position, opEnd);
    if (!header) return { kind: 'close', reason: 'the search request is not BER', notify: false };
    if (field === 0) {
      base = stringAt(frame, header);
      const why = checkDn?.(base);
      if (why !== undefined) return { kind: 'refuse', messageId, op: 'search', code: 34, reason: `MDS_INVALID_DN: ${why}` };
    }
    if (field === 1 && (header.length !== 1 || (frame[header.contentStart] as number) > 2)) {
      return { kind: 'refuse', messageId, op: 'search', code: 53, reason: diagnostic('MDS_UNSUPPORTED', 'the index supports the scopes base, one and sub only') };
    }
    position = header.contentStart + header.length;
  }
  const filter = next(frame, position, opEnd);
  if (!filter) return { kind: 'close', reason: 'the search request has no filter', notify: false };
  const measure = measureFilter(frame, position, filter.contentStart + filter.length, limits);
  if (measure.ok === 'invalid') return { kind: 'close', reason: 'the search filter is not BER', notify: false };
  if (!measure.ok) return { kind: 'refuse', messageId, op: 'search', code: measure.code, reason: measure.reason };
  return { kind: 'pass', frame, messageId, dn: base };
}

/**
 * Collects a socket's bytes into whole messages. `push` returns the verdicts for the messages
 * completed by this chunk; after a `close` verdict the reader accepts nothing more.
 */
export class MessageReader {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #closed = false;
  /** Bytes the message being received needs in all; no need to join chunks before then. */
  #needed = 0;

  constructor(
    private readonly limits: GuardLimits,
    private readonly checkDn?: DnCheck,
  ) {}

  /** True while part of a message has arrived and the rest has not. */
  get pending(): boolean {
    return this.#buffered > 0;
  }

  push(chunk: Buffer): Verdict[] {
    if (this.#closed) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered < this.#needed) return [];
    this.#needed = 0;
    const verdicts: Verdict[] = [];
    let buffer = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, this.#buffered);
    let offset = 0;
    while (offset < buffer.length) {
      const header = readHeader(buffer, offset);
      if (header === undefined) break;
      if (header === 'invalid' || header.tag !== 0x30) {
        this.#closed = true;
        verdicts.push({ kind: 'close', reason: 'bytes that are not an LDAP message arrived', notify: false });
        return verdicts;
      }
      const total = header.contentStart - offset + header.length;
      if (total > this.limits.maxMessageBytes) {
        this.#closed = true;
        verdicts.push({
          kind: 'close',
          reason: diagnostic('MDS_MESSAGE_TOO_LARGE', `a request of ${total} bytes is larger than the ${this.limits.maxMessageBytes} the index accepts`),
          notify: true,
        });
        return verdicts;
      }
      if (buffer.length - offset < total) {
        this.#needed = total;
        break;
      }
      verdicts.push(judgeMessage(buffer.subarray(offset, offset + total), this.limits, this.checkDn));
      offset += total;
      if (verdicts[verdicts.length - 1]?.kind === 'close') {
        this.#closed = true;
        return verdicts;
      }
    }
    buffer = buffer.subarray(offset);
    this.#chunks = buffer.length > 0 ? [buffer] : [];
    this.#buffered = buffer.length;
    return verdicts;
  }
}
