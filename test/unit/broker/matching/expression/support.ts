/** Helpers for the expression tests: evaluate text against small ads and show the result as text. */
import {
  ERROR,
  adFromRecord,
  evaluate,
  parseExpression,
  unparseValue,
  type AttributeInput,
} from '../../../../../services/broker/index.ts';
import { isGridError, type GridError } from '../../../../../services/common/errors.ts';

/** A job ad with one attribute of each kind, for truth tables: t, f, e (ERROR), s, n, r, zero, list. */
export const MY = {
  t: true,
  f: false,
  e: ERROR,
  s: 'text',
  n: 3,
  r: 2.5,
  zero: 0,
  list: [1, 'a'],
} as const satisfies Record<string, AttributeInput>;

/** The value of `text` as an expression literal (`true`, `undefined`, `3.5`, `"a"`), u being missing. */
export function ev(text: string, other: Record<string, AttributeInput> = {}): string {
  return unparseValue(evaluate(parseExpression(text), { my: adFromRecord(MY), other: adFromRecord(other) }));
}

/** The GridError that parsing `text` throws (fails the test when it parses). */
export function parseFailure(text: string, label?: string): GridError {
  try {
    parseExpression(text, label === undefined ? {} : { label });
  } catch (error) {
    if (isGridError(error)) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}
