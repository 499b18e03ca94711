/**
 * One search, from a parsed request to the bytes of its answer: the root DSE, the directory
 * search with the tighter of the client's and the server's size and time limits, attribute
 * selection, typesOnly and paging. Everything a client can get wrong becomes a result code.
 */
import { isGridError } from '../../common/errors.ts';
import type { Directory, SearchScope } from '../directory/directory.ts';
import type { Entry } from '../directory/entry.ts';
import type { Filter } from '../directory/filter.ts';
import { compileFilter } from '../directory/match-filter.ts';
import { ALL_ATTRIBUTES, selectAttributes, type AttributeSelection } from './attribute-selection.ts';
import { encodeEntryOp, message, resultOp, searchAnswer, type ResponseControl } from './encode-response.ts';
import { pagedRequestOf, pagedResponseValue, type PagedCursors } from './paged-results.ts';
import { OP, PAGED_RESULTS_OID, RESULT } from './result-codes.ts';

export interface SearchInput {
  readonly messageId: number;
  /** The base DN as the client sent it. */
  readonly base: string;
  /** 0 base, 1 one level, 2 subtree (RFC 4511). */
  readonly scope: number;
  readonly filter: Filter;
  readonly attributes: readonly string[];
  readonly sizeLimit: number;
  readonly timeLimit: number;
  readonly typesOnly: boolean;
  readonly controls: ReadonlyArray<{ readonly type: string; readonly criticality: boolean; readonly value?: unknown }>;
}

export interface SearchContext {
  readonly directory: Directory;
  readonly rootDse: Entry;
  /** The server's own limits; 0 means none. */
  readonly sizeLimit: number;
  readonly timeLimitSeconds: number;
  readonly cursors: PagedCursors;
  /** Normalises a DN; throws MDS_INVALID_DN. */
  normalizeDn(text: string): string;
}

const SCOPES: readonly SearchScope[] = ['base', 'one', 'sub'];

function done(messageId: number, code: number, diagnostic = '', matchedDn = '', controls: ResponseControl[] = []): Buffer {
  return message(messageId, resultOp(OP.searchResultDone, code, matchedDn, diagnostic), controls);
}

function tighter(client: number, server: number): number {
  if (client > 0 && server > 0) return Math.min(client, server);
  return client > 0 ? client : server;
}

function limitCode(result: { sizeLimitExceeded: boolean; timeLimitExceeded: boolean }): number {
  if (result.timeLimitExceeded) return RESULT.timeLimitExceeded;
  if (result.sizeLimitExceeded) return RESULT.sizeLimitExceeded;
  return RESULT.success;
}

function encodeAll(entries: readonly Entry[], selection: AttributeSelection, typesOnly: boolean): Buffer[] {
  return entries.map((entry) => encodeEntryOp(entry, selection, typesOnly));
}

function answerPage(
  input: SearchInput,
  context: SearchContext,
  pageSize: number,
  entries: readonly Entry[],
  start: number,
  selection: AttributeSelection,
  finalCode: number,
): Buffer {
  const size = pageSize > 0 ? pageSize : entries.length;
  const end = Math.min(entries.length, start + size);
  const page = entries.slice(start, end);
  let cookie: Buffer = Buffer.alloc(0);
  if (end < entries.length) {
    cookie = context.cursors.keep({ entries, position: end, selection, typesOnly: input.typesOnly, finalCode });
  }
  const control = { oid: PAGED_RESULTS_OID, value: pagedResponseValue(entries.length - end, cookie) };
  const code = end < entries.length ? RESULT.success : finalCode;
  return searchAnswer(input.messageId, encodeAll(page, selection, input.typesOnly), done(input.messageId, code, '', '', [control]));
}

/** The whole answer to one search request, as the bytes to write. */
export function answerSearch(input: SearchInput, context: SearchContext): Buffer {
  const { messageId } = input;
  let paging: ReturnType<typeof pagedRequestOf> | undefined;
  for (const control of input.controls) {
    if (control.type === PAGED_RESULTS_OID) paging = pagedRequestOf(control.value);
    else if (control.criticality) {
      return done(messageId, RESULT.unavailableCriticalExtension, `MDS_UNSUPPORTED: the critical control ${control.type} is not supported by the index`);
    }
  }
  const scope = SCOPES[input.scope];
  if (scope === undefined) return done(messageId, RESULT.protocolError, `search scope ${input.scope} is not one of base, one, sub`);

  let baseNdn: string;
  try {
    baseNdn = context.normalizeDn(input.base);
  } catch (error) {
    if (isGridError(error, 'MDS_INVALID_DN')) return done(messageId, RESULT.invalidDNSyntax, `${error.code}: ${error.message}`);
    throw error;
  }

  if (paging && paging.cookie.length > 0) {
    const cursor = context.cursors.take(paging.cookie);
    if (!cursor) return done(messageId, RESULT.unwillingToPerform, 'the paged-results cookie is unknown or expired; start the search again');
    if (paging.size === 0) return done(messageId, RESULT.success, '', '', [{ oid: PAGED_RESULTS_OID, value: pagedResponseValue(0, Buffer.alloc(0)) }]);
    return answerPage(input, context, paging.size, cursor.entries, cursor.position, cursor.selection, cursor.finalCode);
  }

  if (baseNdn === '' && scope === 'base') {
    const wantsNothing = input.attributes.length === 1 && input.attributes[0] === '1.1';
    const matched = compileFilter(input.filter)(context.rootDse);
    const ops = matched ? [encodeEntryOp(context.rootDse, wantsNothing ? selectAttributes(['1.1']) : ALL_ATTRIBUTES, input.typesOnly)] : [];
    return searchAnswer(messageId, ops, done(messageId, RESULT.success));
  }

  const timeLimit = tighter(input.timeLimit, context.timeLimitSeconds);
  const result = context.directory.search({
    baseNdn,
    scope,
    filter: input.filter,
    sizeLimit: tighter(input.sizeLimit, context.sizeLimit),
    deadline: timeLimit > 0 ? performance.now() + timeLimit * 1000 : Infinity,
  });
  if (result.status === 'noSuchObject') {
    return done(messageId, RESULT.noSuchObject, `there is no entry ${input.base} in the index`, result.matchedDn);
  }
  const selection = selectAttributes(input.attributes);
  const code = limitCode(result);
  if (paging) return answerPage(input, context, paging.size, result.entries, 0, selection, code);
  const diagnostic =
    code === RESULT.sizeLimitExceeded ? `more than ${result.entries.length} entries match` :
    code === RESULT.timeLimitExceeded ? `the search ran past its ${timeLimit} s time limit` : '';
  return searchAnswer(messageId, encodeAll(result.entries, selection, input.typesOnly), done(messageId, code, diagnostic));
}
