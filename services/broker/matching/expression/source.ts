/**
 * The text being parsed and how to point into it: errors name a 1-based column (and a line when
 * the expression spans several), and carry the same as `details` for programs.
 */
import type { GridError } from '../../../common/errors.ts';
import {
  describeTextLocation as describeLocation,
  locateInText as locate,
  type TextLocation,
} from '../../../common/text-location.ts';
import { brokerError, type BrokerErrorCode } from '../../errors.ts';

export interface Source {
  readonly text: string;
  /** How messages name the expression, e.g. "the requirements expression". */
  readonly label: string;
}

export type SourceLocation = TextLocation;
export { locate, describeLocation };

/** A coded error about the expression at `offset`, its message starting with the label. */
export function expressionError(
  source: Source,
  code: BrokerErrorCode,
  offset: number,
  message: (where: string) => string,
): GridError {
  return brokerError(code, `${source.label} ${message(describeLocation(source.text, offset))}`, {
    ...locate(source.text, offset),
  });
}

/** A character as a person should see it in a message. */
export function showChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x20 && code !== 0x7f) return `'${ch}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
