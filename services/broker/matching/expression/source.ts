/**
 * The text being parsed and how to point into it: errors name a 1-based column (and a line when
 * the expression spans several), and carry the same as `details` for programs.
 */
import type { GridError } from '../../../common/errors.ts';
import { brokerError, type BrokerErrorCode } from '../../errors.ts';

export interface Source {
  readonly text: string;
  /** How messages name the expression, e.g. "the requirements expression". */
  readonly label: string;
}

export interface SourceLocation {
  /** 1-based offset of the character in the expression. */
  readonly position: number;
  readonly line: number;
  readonly column: number;
}

export function locate(text: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { position: offset + 1, line, column: offset - lineStart + 1 };
}

/** "column 7", or "line 2, column 7" for an expression written over several lines. */
export function describeLocation(text: string, offset: number): string {
  const { line, column } = locate(text, offset);
  return text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}

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
