/**
 * The rules every job description front door (RSL, GT4 job description, JSDL) applies to a value:
 * what a count, a budget, an environment variable name… may be. A rule reads the raw text and
 * answers the value, or the words that finish "the RSL budget "x" at column 9 …" — so each front
 * door words its own messages (with its own code and location) while the rules exist once.
 */
import { parseIsoTime } from '../../common/iso-time.ts';

/** Most processes a job may ask for. */
export const COUNT_MAX = 100_000;
/** GRAM read its limits with atoi() into an int, so nothing larger ever meant anything. */
export const INT_MAX = 2 ** 31 - 1;

/** A value read, or why it is refused (words that follow "… at line 3, column 5"). */
export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

const ok = <T>(value: T): Reading<T> => ({ ok: true, value });
const refuse = (why: string): Reading<never> => ({ ok: false, why });

/** A value as it may be quoted in a message: JSON-escaped (so NUL and newlines show) and cut. */
export function showValue(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** Any text but one with NUL: it would cut the string short at every C boundary on a site. */
export function plainText(raw: string): Reading<string> {
  return raw.includes('\0') ? refuse('contains a NUL character') : ok(raw);
}

/** A whole number from 1 to `max`, digits only (GRAM's atoi() took "5abc"; Weft does not). */
export function wholeNumber(raw: string, max: number): Reading<number> {
  const n = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
  return n >= 1 && n <= max ? ok(n) : refuse(`must be a whole number from 1 to ${max}, but is ${showValue(raw)}`);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An environment variable name a POSIX shell would accept. */
export function environmentName(raw: string): Reading<string> {
  return ENV_NAME.test(raw)
    ? ok(raw)
    : refuse('is not a valid name (letters, digits and _, not starting with a digit)');
}

/** GRAM's jobType: Weft runs `single` and `multiple` (any case). */
export function jobType(raw: string): Reading<'single' | 'multiple'> {
  const value = raw.toLowerCase();
  if (value === 'single' || value === 'multiple') return ok(value);
  const why = value === 'mpi' || value === 'condor' ? 'is a GRAM job type that Weft does not run yet' : 'is not a job type';
  return refuse(`${why}; use single or multiple`);
}

const MONEY = /^[0-9]{1,12}(\.[0-9]{1,6})?$/;

/** The economic `budget`: a non-negative decimal amount, e.g. 10 or 2.50. */
export function budget(raw: string): Reading<number> {
  if (MONEY.test(raw)) return ok(Number(raw));
  const why = /^-/.test(raw) ? 'is negative' : 'is not a decimal amount';
  return refuse(`${why}; give a non-negative amount such as 10 or 2.5`);
}

/** The economic `optimise`: cost or time, in any case. */
export function optimise(raw: string): Reading<'cost' | 'time'> {
  const value = raw.toLowerCase();
  return value === 'cost' || value === 'time' ? ok(value) : refuse('is not cost or time');
}


/**
 * The economic `deadline`: whole minutes from submission (`90`) or an ISO 8601 time with its zone
 * (`2026-11-23T18:00:00Z`); answered as an ISO time. A time already past is refused.
 */
export function deadline(raw: string, now: number): Reading<string> {
  const bad = (why: string) =>
    refuse(`${why}; give minutes from now (90) or an ISO time with its zone (2026-11-23T18:00:00Z)`);
  if (/^[0-9]{1,7}$/.test(raw)) {
    const minutes = Number(raw);
    if (minutes < 1) return bad('is not in the future');
    return ok(new Date(now + minutes * 60_000).toISOString());
  }
  const ms = parseIsoTime(raw);
  if (ms === undefined) return bad(/^-/.test(raw) ? 'is negative' : 'is neither whole minutes nor an ISO time');
  if (ms <= now) return bad('is in the past');
  return ok(new Date(ms).toISOString());
}
