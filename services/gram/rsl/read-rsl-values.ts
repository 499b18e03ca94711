/**
 * Typed readers for one evaluated RSL relation: "exactly one string", "a whole number in
 * range", "yes or no", "(NAME value) pairs". Each refuses with GRAM_RSL_BAD_VALUE naming the
 * attribute, the value and where it is, so `rsl-to-job-spec.ts` reads as a table.
 */
import type { ErrorDetails, GridError } from '../../common/errors.ts';
import { gramError } from '../errors.ts';
import { plainText, showValue, wholeNumber } from '../description/job-values.ts';
import type { RslEvaluated, RslEvaluatedText } from './evaluate-rsl.ts';
import { describeRslLocation, locateRsl } from './tokenize-rsl.ts';

export { showValue };

/** One relation being read: its name as written, its evaluated values, where it starts. */
export interface RslAttributeValue {
  readonly name: string;
  readonly values: readonly RslEvaluated[];
  /** 0-based offset of the relation in `source`. */
  readonly at: number;
  /** The whole RSL text, to turn offsets into columns for messages. */
  readonly source: string;
}

/** A GRAM_RSL_BAD_VALUE at `at`; `message` receives the place ("column 23"). */
export function rslBadValue(
  source: string,
  attribute: string,
  at: number,
  message: (where: string) => string,
  details: ErrorDetails = {},
): GridError {
  return gramError('GRAM_RSL_BAD_VALUE', message(describeRslLocation(source, at)), {
    attribute,
    ...details,
    ...locateRsl(source, at),
  });
}

/** A string value, refusing NUL: it would cut the string short at every C boundary on a site. */
export function readText(attr: RslAttributeValue, value: RslEvaluated): string {
  if (value.kind === 'list') {
    throw rslBadValue(attr.source, attr.name, value.at, (w) =>
      `the RSL attribute '${attr.name}' takes plain values, but has a parenthesised list at ${w}`,
    );
  }
  const text = plainText(value.text);
  if (!text.ok) {
    throw rslBadValue(
      attr.source,
      attr.name,
      value.at,
      (w) => `the RSL value of '${attr.name}' at ${w} ${text.why}`,
      { value: value.text },
    );
  }
  return text.value;
}

/** Exactly one string (which may be empty: `requirements=""` is allowed). */
export function readSingle(attr: RslAttributeValue): string {
  const [first, ...rest] = attr.values;
  if (first === undefined || rest.length > 0) {
    throw rslBadValue(attr.source, attr.name, attr.at, (w) =>
      `the RSL attribute '${attr.name}' at ${w} takes one value but was given ` +
      `${attr.values.length}; quote a value that contains spaces`,
    );
  }
  return readText(attr, first);
}

/** Exactly one non-empty string. */
export function readNonEmpty(attr: RslAttributeValue): string {
  const value = readSingle(attr);
  if (value === '') {
    throw rslBadValue(attr.source, attr.name, attr.at, (w) =>
      `the RSL attribute '${attr.name}' at ${w} is empty`,
    );
  }
  return value;
}

/** A whole number from 1 to `max` (the rule is `wholeNumber` in description/job-values.ts). */
export function readWholeNumber(attr: RslAttributeValue, max: number): number {
  const raw = readSingle(attr);
  const n = wholeNumber(raw, max);
  if (!n.ok) {
    throw rslBadValue(attr.source, attr.name, attr.at, (w) => `the RSL attribute '${attr.name}' at ${w} ${n.why}`, {
      value: raw,
    });
  }
  return n.value;
}

/** `yes` or `no`, in any case. */
export function readYesNo(attr: RslAttributeValue): boolean {
  const raw = readSingle(attr);
  const value = raw.toLowerCase();
  if (value === 'yes' || value === 'no') return value === 'yes';
  throw rslBadValue(
    attr.source,
    attr.name,
    attr.at,
    (w) => `the RSL attribute '${attr.name}' at ${w} must be yes or no, but is ${showValue(raw)}`,
    { value: raw },
  );
}

/** Values that must each be a `(NAME value)` pair of strings; the second is NUL-checked. */
export function readPairs(
  attr: RslAttributeValue,
  example: string,
): (readonly [RslEvaluatedText, string])[] {
  return attr.values.map((v) => {
    const [first, second, extra] = v.kind === 'list' ? v.items : [];
    if (first?.kind === 'text' && second?.kind === 'text' && extra === undefined) {
      return [first, readText(attr, second)] as const;
    }
    throw rslBadValue(attr.source, attr.name, v.at, (w) =>
      `the RSL attribute '${attr.name}' takes (NAME value) pairs, e.g. ${example}, but the ` +
      `value at ${w} is not one`,
    );
  });
}
