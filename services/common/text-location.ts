/**
 * Where something is in a text a person wrote (RSL, a matchmaking expression): a 1-based
 * position, line and column, and the words for it in an error message.
 */

export interface TextLocation {
  /** 1-based offset of the character in the text. */
  readonly position: number;
  readonly line: number;
  readonly column: number;
}

/** Turns a 0-based offset into a 1-based position, line and column. */
export function locateInText(text: string, offset: number): TextLocation {
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

/** "column 23" for a one-line text (the usual case), "line 2, column 5" otherwise. */
export function describeTextLocation(text: string, offset: number): string {
  const { line, column } = locateInText(text, offset);
  return text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}
