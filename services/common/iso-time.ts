/**
 * ISO 8601 times as Weft accepts them from users (RSL/JSDL deadlines, accounting windows): a date,
 * a time to the minute or finer, and always a zone (`Z` or `±hh:mm`), so that a time means the
 * same instant on every host — what xsd:dateTime carries, minus zone-less times.
 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of `text`, or undefined when it is not such a time. */
export function parseIsoTime(text: string): number | undefined {
  if (!ISO_TIME.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
