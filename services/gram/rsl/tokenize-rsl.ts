/**
 * The RSL scanner: text → tokens, with the lexical rules of GCT's `globus_rsl_scanner.l`
 * (character classes, `(* … *)` comments, `"…"`/`'…'` quotes where a doubled delimiter stands
 * for itself, `^X…X` user-delimited quotes). Hand-written and linear: every loop moves forward
 * and quoted strings are found with `indexOf`, so no input can make it backtrack.
 */
import { gramError } from '../errors.ts';
import type { GridError } from '../../common/errors.ts';
import {
  describeTextLocation as describeRslLocation,
  locateInText as locateRsl,
  type TextLocation,
} from '../../common/text-location.ts';

/** Descriptions above this many UTF-8 bytes are refused before any scanning. */
export const RSL_MAX_BYTES = 64 * 1024;

export type RslTokenKind =
  | 'lparen'
  | 'rparen'
  | 'boolean' // & | +
  | 'relation' // = != < <= > >=
  | 'concat' // #
  | 'dollar' // $, the start of a variable reference
  | 'string' // an unquoted word or a quoted string
  | 'end';

export interface RslToken {
  readonly kind: RslTokenKind;
  /** The operator as written, or a string's value with its quotes removed. */
  readonly text: string;
  /** True only for strings that were quoted. */
  readonly quoted: boolean;
  /** 0-based offsets of the token in the source: `[start, end)`. */
  readonly start: number;
  readonly end: number;
}

/** Where something is, for people: 1-based offset, line and column. */
export type RslLocation = TextLocation;
export { locateRsl, describeRslLocation };

/**
 * A GRAM_RSL_SYNTAX error at `offset`; `message` receives the place ("column 23") so each
 * sentence can put it where it reads best.
 */
export function rslSyntaxError(
  text: string,
  offset: number,
  message: (where: string) => string,
): GridError {
  const where = describeRslLocation(text, offset);
  return gramError('GRAM_RSL_SYNTAX', message(where), { ...locateRsl(text, offset) });
}

// Globus's UNQUOTED_LITERAL: `+ & |` may appear inside a word but cannot start one.
const WHITESPACE = new Set([' ', '\t', '\n', '\r']); // \r: accept files saved with CRLF
const NEVER_IN_WORD = new Set([...WHITESPACE, ...'=!<>()"\'^*$#?~']);
const NEVER_STARTS_WORD = new Set([...NEVER_IN_WORD, '+', '&', '|']);

/** Shows one character in a message, escaping the invisible ones. */
function showChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x20 && code !== 0x7f) return `'${ch}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Splits RSL text into tokens, ending with one `end` token. Comments and white space vanish. */
export function tokenizeRsl(text: string): RslToken[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > RSL_MAX_BYTES) {
    throw gramError(
      'GRAM_RSL_SYNTAX',
      `the RSL is ${bytes} bytes long, more than the ${RSL_MAX_BYTES} bytes (64 KiB) allowed`,
      { bytes, limit: RSL_MAX_BYTES },
    );
  }
  const tokens: RslToken[] = [];
  const push = (kind: RslTokenKind, value: string, start: number, end: number, quoted = false) =>
    void tokens.push({ kind, text: value, quoted, start, end });

  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const next = text[i + 1];
    if (WHITESPACE.has(ch)) {
      i++;
    } else if (ch === '(' && next === '*') {
      const close = text.indexOf('*)', i + 2);
      if (close < 0) {
        throw rslSyntaxError(
          text,
          i,
          (at) => `the RSL has a comment starting at ${at} that is never closed with '*)'`,
        );
      }
      i = close + 2;
    } else if (ch === '(' || ch === ')') {
      push(ch === '(' ? 'lparen' : 'rparen', ch, i, i + 1);
      i++;
    } else if (ch === '"' || ch === "'") {
      i = readQuoted(text, i, ch, i + 1, push);
    } else if (ch === '^') {
      const code = text.codePointAt(i + 1);
      if (code === undefined) {
        throw rslSyntaxError(
          text,
          i,
          (at) =>
            `the RSL ends right after the '^' at ${at}, which must be followed by the quote ` +
            'character to use, e.g. ^|a "quoted" word|',
        );
      }
      const delimiter = String.fromCodePoint(code);
      i = readQuoted(text, i, delimiter, i + 1 + delimiter.length, push);
    } else if (ch === '=' || ch === '<' || ch === '>' || ch === '!') {
      if (next === '=') {
        push('relation', ch + '=', i, i + 2);
        i += 2;
      } else if (ch === '!') {
        throw rslSyntaxError(
          text,
          i,
          (at) =>
            `the RSL has a '!' at ${at} that is not part of '!='; quote values that contain it`,
        );
      } else {
        push('relation', ch, i, i + 1);
        i++;
      }
    } else if (ch === '&' || ch === '|' || ch === '+') {
      push('boolean', ch, i, i + 1);
      i++;
    } else if (ch === '#' || ch === '$') {
      push(ch === '#' ? 'concat' : 'dollar', ch, i, i + 1);
      i++;
    } else if (!NEVER_STARTS_WORD.has(ch)) {
      let end = i + 1;
      while (end < text.length && !NEVER_IN_WORD.has(text[end] as string)) end++;
      push('string', text.slice(i, end), i, end);
      i = end;
    } else if (ch === '*' && next === ')') {
      throw rslSyntaxError(
        text,
        i,
        (at) => `the RSL has '*)' at ${at} with no '(*' comment open before it`,
      );
    } else {
      // Only `*`, `?` and `~` are left: Globus reserves them, so a value using one must be quoted.
      throw rslSyntaxError(
        text,
        i,
        (at) =>
          `the RSL has an unexpected ${showChar(ch)} at ${at}; put values that contain it in ` +
          'double quotes, e.g. "*.txt"',
      );
    }
  }
  push('end', '', text.length, text.length);
  return tokens;
}

/**
 * Reads a quoted string whose opening quote starts at `start` and whose content starts at
 * `from`; a doubled delimiter inside stands for one delimiter. Returns the offset after it.
 */
function readQuoted(
  text: string,
  start: number,
  delimiter: string,
  from: number,
  push: (kind: RslTokenKind, value: string, start: number, end: number, quoted: boolean) => void,
): number {
  let value = '';
  let k = from;
  for (;;) {
    const close = text.indexOf(delimiter, k);
    if (close < 0) {
      const closer = delimiter === "'" ? `"'"` : `'${delimiter}'`;
      throw rslSyntaxError(
        text,
        start,
        (at) =>
          `the RSL has an unterminated quoted string starting at ${at}; end it with ${closer}`,
      );
    }
    value += text.slice(k, close);
    const after = close + delimiter.length;
    if (text.startsWith(delimiter, after)) {
      value += delimiter;
      k = after + delimiter.length;
      continue;
    }
    push('string', value, start, after, true);
    return after;
  }
}
