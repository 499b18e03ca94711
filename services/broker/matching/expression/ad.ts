/**
 * An ad is what `my.X` and `other.X` read: a job's or a site's attributes by name. Names are
 * case-insensitive (ClassAd semantics), so an ad is asked with the lower-cased name. A missing
 * attribute is `undefined` in JavaScript and UNDEFINED in the language.
 */
import {
  FALSE,
  TRUE,
  UNDEFINED,
  integerValue,
  listValue,
  realValue,
  stringValue,
  type Value,
} from './value.ts';

export interface Ad {
  /** The attribute named `lowerName` (already lower-cased), or undefined when there is none. */
  lookup(lowerName: string): Value | undefined;
}

/** What plain data may hold: numbers become integers when whole and reals otherwise. */
export type AttributeInput =
  | Value
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly AttributeInput[];

function isValue(input: object): input is Value {
  return 'type' in input && 'value' in input;
}

/** Plain data as a language value; `null` and `undefined` are UNDEFINED. */
export function toValue(input: AttributeInput): Value {
  if (input === null || input === undefined) return UNDEFINED;
  if (typeof input === 'string') return stringValue(input);
  if (typeof input === 'boolean') return input ? TRUE : FALSE;
  if (typeof input === 'number') return Number.isInteger(input) ? integerValue(input) : realValue(input);
  if (Array.isArray(input)) return listValue(input.map((item: AttributeInput) => toValue(item)));
  if (isValue(input as object)) return input as Value;
  throw new Error(`not an attribute value: ${String(input)}`);
}

/** An ad over a plain record; attributes whose value is `undefined` are left out. */
export function adFromRecord(record: Readonly<Record<string, AttributeInput>>): Ad {
  const values = new Map<string, Value>();
  for (const [name, input] of Object.entries(record)) {
    if (input !== undefined) values.set(name.toLowerCase(), toValue(input));
  }
  return { lookup: (lowerName) => values.get(lowerName) };
}

/** The ad with no attributes. */
export const EMPTY_AD: Ad = Object.freeze({ lookup: () => undefined });
