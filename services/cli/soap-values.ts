/**
 * Reading node-soap's answers: one repeated element arrives as a scalar, several as an array,
 * none as undefined (or null), and numbers and booleans as text. Every SOAP client of the CLI
 * reads them through these.
 */

/** Absent, one or many elements, always as an array. */
export function asList<T>(value: T | T[] | undefined | null): T[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}
