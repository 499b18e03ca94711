/**
 * Expression text → tokens. Hand-written and linear: every loop moves forward, nothing
 * backtracks. Mistakes people make coming from other languages (`=` for `==`, `&` for `&&`,
 * single-quoted strings, units after numbers) get a message that says what to write instead.
 */
import { expressionError, showChar, type Source } from './source.ts';

export type TokenKind = 'integer' | 'real' | 'string' | 'name' | 'op' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The operator or name as written; a string's decoded value; a number's digits. */
  readonly text: string;
  /** 0-based offsets in the source: `[start, end)`. */
  readonly start: number;
  readonly end: number;
}

// Longest first, so that `=?=` is not read as `=` `?` `=`.
const OPERATORS = [
  '=?=', '=!=',
  '<=', '>=', '==', '!=', '&&', '||',
  '(', ')', '{', '}', ',', '.', '?', ':', '+', '-', '*', '/', '%', '!', '<', '>',
];

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"', '\\': '\\', "'": "'", '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f',
};

const isDigit = (c: number) => c >= 48 && c <= 57;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNamePart = (c: number) => isNameStart(c) || isDigit(c);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Splits the expression into tokens, ending with one `end` token. */
export function tokenize(source: Source): Token[] {
  const { text } = source;
  const tokens: Token[] = [];
  const fail = (at: number, message: (where: string) => string) =>
    expressionError(source, 'BROKER_EXPRESSION_SYNTAX', at, (w) => `has a syntax error at ${w}: ${message(w)}`);

  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      i = scanNumber(text, i, tokens, fail);
      continue;
    }
    if (isNameStart(c)) {
      while (i < text.length && isNamePart(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'name', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === 34) {
      i = scanString(text, i, tokens, fail);
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (op) {
      i += op.length;
      tokens.push({ kind: 'op', text: op, start, end: i });
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i) ?? c);
    throw fail(start, () => {
      switch (ch) {
        case '=':
          return "'=' is not an operator here; compare with '==' (or '=?=' to compare exactly)";
        case '&':
          return "'&' is not an operator here; write '&&' for 'and'";
        case '|':
          return "'|' is not an operator here; write '||' for 'or'";
        case "'":
          return 'single quotes do not make a string; write strings in double quotes';
        case '[':
        case ']':
          return 'subscripts such as list[0] are not supported; use member(x, list) or size(list)';
        default:
          return `unexpected character ${showChar(ch)}`;
      }
    });
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

type Fail = (at: number, message: (where: string) => string) => Error;

function scanNumber(text: string, start: number, tokens: Token[], fail: Fail): number {
  let i = start;
  let real = false;
  while (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 46 && !isNameStart(text.charCodeAt(i + 1))) {
    real = true;
    i++;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (!isDigit(text.charCodeAt(j))) {
      throw fail(i, () => `the number ${text.slice(start, i)} has an exponent '${text[i]}' without digits`);
    }
    while (isDigit(text.charCodeAt(j))) j++;
    real = true;
    i = j;
  }
  if (isNamePart(text.charCodeAt(i))) {
    throw fail(i, () =>
      `the number ${text.slice(start, i)} is followed by ${showChar(text[i] ?? '')}; ` +
      'numbers carry no units here (MaxWallTime is in minutes, MemoryMB in MB)',
    );
  }
  const digits = text.slice(start, i);
  if (!real && !Number.isSafeInteger(Number(digits))) {
    throw fail(start, () => `the integer ${digits} is too large (the largest is ${Number.MAX_SAFE_INTEGER})`);
  }
  if (real && !Number.isFinite(Number(digits))) {
    throw fail(start, () => `the number ${digits} is too large`);
  }
  tokens.push({ kind: real ? 'real' : 'integer', text: digits, start, end: i });
  return i;
}

function scanString(text: string, start: number, tokens: Token[], fail: Fail): number {
  let i = start + 1;
  let value = '';
  // The next quote and backslash at or after i, found again only once i has passed them, so
  // that the scan stays linear however many escapes the string holds.
  let quote = -1;
  let backslash = text.indexOf('\\', i);
  for (;;) {
    if (quote < i) quote = text.indexOf('"', i);
    if (backslash >= 0 && backslash < i) backslash = text.indexOf('\\', i);
    if (quote < 0) {
      throw fail(start, () => 'the string starting here is never closed with a double quote');
    }
    if (backslash >= 0 && backslash < quote) {
      value += text.slice(i, backslash);
      const next = text[backslash + 1] ?? '';
      const replacement = ESCAPES[next];
      if (replacement === undefined) {
        throw fail(backslash, () =>
          `unknown escape '\\${next}' in a string; ` +
          `write '\\\\${next}' for a backslash followed by ${next || 'nothing'}` +
          ' (regular expressions in strings need doubled backslashes, as in "\\\\d+")',
        );
      }
      value += replacement;
      i = backslash + 2;
      continue;
    }
    value += text.slice(i, quote);
    i = quote + 1;
    tokens.push({ kind: 'string', text: value, start, end: i });
    return i;
  }
}
