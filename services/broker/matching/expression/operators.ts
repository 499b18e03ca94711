/**
 * What each operator does, as HTCondor's ClassAds define it (src/classad/operators.cpp):
 *
 * - Arithmetic and comparison are strict: ERROR in either operand gives ERROR, then UNDEFINED in
 *   either gives UNDEFINED. Booleans take part as 1 and 0; an integer meeting a real becomes
 *   real. Anything else (a string in arithmetic, a string compared with a number, a list) is
 *   ERROR, as are division by zero and `%` on reals.
 * - `==`, `!=`, `<`, … compare strings ignoring the case of ASCII letters; `=?=` (`is`) and `=!=`
 *   (`isnt`) never yield UNDEFINED or ERROR: they are true exactly when both sides have the same
 *   type and the same value (strings case-sensitive, `1 =?= 1.0` false, `undefined =?= undefined`
 *   true).
 * - `&&`, `||`, `!` and `?:` use three-valued logic: `false && x` is false and `true || x` is
 *   true whatever x is (x is not evaluated); `true && undefined` and `undefined || false` are
 *   undefined; `undefined && false` is false; ERROR on the left wins; non-zero numbers count as
 *   true; strings and lists are ERROR.
 */
import {
  FALSE,
  TRUE,
  UNDEFINED,
  asBoolean,
  asNumber,
  booleanValue,
  errorValue,
  integerValue,
  realValue,
  type Value,
} from './value.ts';
import type { BinaryOperator } from './ast.ts';

/** The operands of a strict operator that make the result ERROR or UNDEFINED without looking further. */
function exceptional(a: Value, b: Value): Value | undefined {
  if (a.type === 'error') return a;
  if (b.type === 'error') return b;
  if (a.type === 'undefined' || b.type === 'undefined') return UNDEFINED;
  return undefined;
}

function divideIntegers(x: number, y: number): number {
  // Doubles divide 32-bit integers exactly; larger ones go through BigInt so that truncation
  // never rounds the wrong way.
  if (Math.abs(x) <= 0x7fffffff && Math.abs(y) <= 0x7fffffff) return Math.trunc(x / y);
  return Number(BigInt(x) / BigInt(y));
}

export function arithmetic(op: '+' | '-' | '*' | '/' | '%', a: Value, b: Value): Value {
  const early = exceptional(a, b);
  if (early) return early;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === undefined || y === undefined) {
    return errorValue(`'${op}' needs numbers, not ${a.type} and ${b.type}`);
  }
  if (a.type !== 'real' && b.type !== 'real') {
    switch (op) {
      case '+':
        return integerValue(x + y);
      case '-':
        return integerValue(x - y);
      case '*':
        return integerValue(x * y);
      case '/':
        return y === 0 ? errorValue('division by zero') : integerValue(divideIntegers(x, y));
      case '%':
        return y === 0 ? errorValue('division by zero') : integerValue(x % y);
    }
  }
  switch (op) {
    case '+':
      return realValue(x + y);
    case '-':
      return realValue(x - y);
    case '*':
      return realValue(x * y);
    case '/':
      return y === 0 ? errorValue('division by zero') : realValue(x / y);
    case '%':
      return errorValue("'%' needs integers, not reals");
  }
}

/** Orders strings ignoring the case of ASCII letters (C's strcasecmp), by UTF-16 code unit. */
export function compareIgnoringCase(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca >= 65 && ca <= 90) ca += 32;
    if (cb >= 65 && cb <= 90) cb += 32;
    if (ca !== cb) return ca - cb;
  }
  return a.length - b.length;
}

/** Orders strings exactly, by UTF-16 code unit (C's strcmp on the same characters). */
export function compareExactly(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function ordered(op: BinaryOperator, order: number): Value {
  switch (op) {
    case '<':
      return booleanValue(order < 0);
    case '<=':
      return booleanValue(order <= 0);
    case '>':
      return booleanValue(order > 0);
    case '>=':
      return booleanValue(order >= 0);
    case '==':
      return booleanValue(order === 0);
    default:
      return booleanValue(order !== 0);
  }
}

export function compare(op: '<' | '<=' | '>' | '>=' | '==' | '!=', a: Value, b: Value): Value {
  const early = exceptional(a, b);
  if (early) return early;
  if (a.type === 'string' || b.type === 'string') {
    if (a.type !== 'string' || b.type !== 'string') {
      return errorValue(`'${op}' cannot compare ${a.type} with ${b.type}`);
    }
    return ordered(op, compareIgnoringCase(a.value, b.value));
  }
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === undefined || y === undefined) {
    const hint = a.type === 'list' || b.type === 'list' ? ' (use member() for lists)' : '';
    return errorValue(`'${op}' cannot compare ${a.type} with ${b.type}${hint}`);
  }
  return ordered(op, x < y ? -1 : x > y ? 1 : 0);
}

/** `=?=`: same type and same value; never UNDEFINED or ERROR. Lists compare element by element. */
export function identical(a: Value, b: Value): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'undefined':
    case 'error':
      return true;
    case 'list': {
      const other = b.value as readonly Value[];
      return a.value.length === other.length && a.value.every((item, i) => identical(item, other[i] as Value));
    }
    default:
      return a.value === b.value;
  }
}

function notBoolean(op: string, v: Value): Value {
  return errorValue(`'${op}' needs booleans, not ${v.type}`);
}

/** Whether a value may take part in logic: a boolean, a number, UNDEFINED or ERROR. */
function logical(v: Value): boolean {
  return v.type !== 'string' && v.type !== 'list';
}

/** `left && right`, with `right` evaluated only when it can change the result. */
export function and<E>(left: Value, right: (env: E) => Value, env: E): Value {
  const b1 = asBoolean(left);
  if (b1 === false) return FALSE;
  if (!logical(left)) return notBoolean('&&', left);
  if (left.type === 'error') return left;
  const v2 = right(env);
  if (!logical(v2)) return notBoolean('&&', v2);
  const b2 = asBoolean(v2);
  if (b1 === true) return b2 === undefined ? v2 : booleanValue(b2);
  // left is UNDEFINED
  if (b2 === undefined) return v2;
  return b2 ? UNDEFINED : FALSE;
}

/** `left || right`, with `right` evaluated only when it can change the result. */
export function or<E>(left: Value, right: (env: E) => Value, env: E): Value {
  const b1 = asBoolean(left);
  if (b1 === true) return TRUE;
  if (!logical(left)) return notBoolean('||', left);
  if (left.type === 'error') return left;
  const v2 = right(env);
  if (!logical(v2)) return notBoolean('||', v2);
  const b2 = asBoolean(v2);
  if (b1 === false) return b2 === undefined ? v2 : booleanValue(b2);
  // left is UNDEFINED
  if (b2 === undefined) return v2;
  return b2 ? TRUE : UNDEFINED;
}

export function not(v: Value): Value {
  const b = asBoolean(v);
  if (b !== undefined) return booleanValue(!b);
  if (v.type === 'undefined' || v.type === 'error') return v;
  return notBoolean('!', v);
}

export function negate(v: Value): Value {
  switch (v.type) {
    case 'integer':
      return integerValue(0 - v.value);
    case 'real':
      return realValue(0 - v.value);
    case 'undefined':
    case 'error':
      return v;
    default:
      return errorValue(`'-' needs a number, not ${v.type}`);
  }
}

export function plus(v: Value): Value {
  switch (v.type) {
    case 'integer':
    case 'real':
    case 'undefined':
    case 'error':
      return v;
    default:
      return errorValue(`'+' needs a number, not ${v.type}`);
  }
}
