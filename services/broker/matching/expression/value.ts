/**
 * The values of the matchmaking language, as in Condor ClassAds: UNDEFINED (an attribute that is
 * not there), ERROR (a type mismatch, a division by zero), booleans, integers, reals, strings and
 * lists. Integers and reals are different types (`7 / 2` is 3, `7.0 / 2` is 3.5, `1 =?= 1.0` is
 * false), so each value carries its type. Every value has the same two fields so that the
 * evaluator's property reads stay monomorphic.
 */

export type Value =
  | { readonly type: 'undefined'; readonly value: null }
  | { readonly type: 'error'; readonly value: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'real'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'list'; readonly value: readonly Value[] };

export type ValueType = Value['type'];
export type ErrorValue = Extract<Value, { type: 'error' }>;

export const UNDEFINED: Value = Object.freeze({ type: 'undefined', value: null });
/** ERROR without a reason; `errorValue(reason)` keeps one for people reading explanations. */
export const ERROR: ErrorValue = Object.freeze({ type: 'error', value: '' });
export const TRUE: Value = Object.freeze({ type: 'boolean', value: true });
export const FALSE: Value = Object.freeze({ type: 'boolean', value: false });

export function errorValue(reason: string): ErrorValue {
  return { type: 'error', value: reason };
}

export function booleanValue(b: boolean): Value {
  return b ? TRUE : FALSE;
}

/**
 * An integer, or ERROR when the result left the range JavaScript holds exactly (±2^53; ClassAds
 * use 64-bit integers and would wrap instead).
 */
export function integerValue(n: number): Value {
  return Number.isSafeInteger(n) ? { type: 'integer', value: n } : errorValue('integer overflow');
}

/** A real, or ERROR when the result is infinite or not a number (ClassAds make those ERROR too). */
export function realValue(r: number): Value {
  return Number.isFinite(r) ? { type: 'real', value: r } : errorValue('real overflow');
}

export function stringValue(s: string): Value {
  return { type: 'string', value: s };
}

export function listValue(items: readonly Value[]): Value {
  return { type: 'list', value: items };
}

/** The value as a boolean when it is one, or a number (non-zero is true), as ClassAds allow. */
export function asBoolean(v: Value): boolean | undefined {
  switch (v.type) {
    case 'boolean':
      return v.value;
    case 'integer':
    case 'real':
      return v.value !== 0;
    default:
      return undefined;
  }
}

/** The value as a number for arithmetic: integers, reals, and booleans as 1 or 0. */
export function asNumber(v: Value): number | undefined {
  switch (v.type) {
    case 'integer':
    case 'real':
      return v.value;
    case 'boolean':
      return v.value ? 1 : 0;
    default:
      return undefined;
  }
}

/** A real in ClassAd's written form: always with a point or exponent, so it reads back as real. */
export function formatReal(r: number): string {
  const text = String(r);
  return /[.eE]/.test(text) || !Number.isFinite(r) ? text : `${text}.0`;
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}

/** The value written as an expression literal: `undefined`, `3`, `3.0`, `"a"`, `{1, "a"}`. */
export function unparseValue(v: Value): string {
  switch (v.type) {
    case 'undefined':
      return 'undefined';
    case 'error':
      return 'error';
    case 'boolean':
      return v.value ? 'true' : 'false';
    case 'integer':
      return String(v.value);
    case 'real':
      return formatReal(v.value);
    case 'string':
      return quote(v.value);
    case 'list':
      return `{${v.value.map(unparseValue).join(', ')}}`;
  }
}

/** The plain JavaScript form of a value, for callers outside the language. */
export type PlainValue = null | boolean | number | string | readonly PlainValue[] | { readonly error: string };

export function toPlain(v: Value): PlainValue {
  switch (v.type) {
    case 'undefined':
      return null;
    case 'error':
      return { error: v.value };
    case 'list':
      return v.value.map(toPlain);
    default:
      return v.value;
  }
}
