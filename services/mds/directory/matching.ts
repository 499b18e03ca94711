/**
 * How values compare. Weft matches every attribute as caseIgnoreMatch does (GLUE 2.0 and Mds-*
 * readers expect `(objectclass=mdshost)` to find `MdsHost`): spaces at either end dropped, runs
 * of inner spaces read as one, case folded. Ordering (`>=`, `<=`) is numeric when both sides are
 * numbers, and otherwise compares the normalised text (GeneralizedTime values sort correctly so).
 */

/** The caseIgnoreMatch form of a value. */
export function normalizeValue(value: string): string {
  let text = value;
  if (text.length > 0 && (text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32 || text.includes('  '))) {
    text = text.trim().replace(/ {2,}/g, ' ');
  }
  return text.toLowerCase();
}

const NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** Negative, zero or positive as `a` sorts before, with or after `b` (both normalised). */
export function compareValues(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The key approximate match (`~=`) compares: the normalised value without any spaces. */
export function approxKey(normalized: string): string {
  return normalized.replace(/ /g, '');
}

/** Whether a normalised value matches normalised substring parts. */
export function matchesSubstring(
  value: string,
  initial: string | undefined,
  any: readonly string[],
  final: string | undefined,
): boolean {
  let position = 0;
  if (initial !== undefined && initial !== '') {
    if (!value.startsWith(initial)) return false;
    position = initial.length;
  }
  let end = value.length;
  if (final !== undefined && final !== '') {
    if (value.length - position < final.length || !value.endsWith(final)) return false;
    end = value.length - final.length;
  }
  for (const part of any) {
    if (part === '') continue;
    const found = value.indexOf(part, position);
    if (found < 0 || found + part.length > end) return false;
    position = found + part.length;
  }
  return true;
}
