/** Times as the GCT proxy tools read and print them. */
import { cliError } from '../errors.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** C's asctime() in local time, as GCT prints "valid until": `Mon Nov  3 16:35:01 2026`. */
export function asctime(date: Date): string {
  const day = String(date.getDate()).padStart(2, ' ');
  const time = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
  return `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${day} ${time} ${date.getFullYear()}`;
}

/** `H:MM:SS` (and `  (N.N days)` past a day), as grid-proxy-info prints time left. */
export function formatTimeLeft(seconds: number): string {
  const s = Math.max(0, seconds);
  const text = `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return s > 86_400 ? `${text}  (${(Math.floor(s / 3600) / 24).toFixed(1)} days)` : text;
}

/** Reads `-valid H:M` (GCT: hours >= 0, minutes 0..60) as minutes. */
export function parseValid(flag: string, value: string | undefined): number {
  const match = value === undefined ? null : /^(\d+):(\d+)$/.exec(value);
  if (!match) throw cliError('CLI_USAGE', `${flag} takes a time as H:M, e.g. ${flag} 12:00`);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 60) throw cliError('CLI_USAGE', `${flag}: the minutes must be in the range 0-60`);
  return hours * 60 + minutes;
}

/** Reads a whole number >= `min` for `flag`. */
export function parseWholeNumber(flag: string, value: string | undefined, min = 0): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min) {
    const atLeast = min > 0 ? ` of at least ${min}` : '';
    throw cliError('CLI_USAGE', `${flag} takes a whole number${atLeast}`);
  }
  return Number(value);
}

/** grid-proxy-info warns when less than this is left… */
export const SHORT_PROXY_SECONDS = 3600;
/** …and less than this share of the proxy's whole lifetime (so a fresh short proxy is quiet). */
export const SHORT_PROXY_SHARE = 0.2;

/**
 * The warning for a proxy running short: expired, or under both an hour and a fifth of its
 * lifetime left (a 12-hour proxy warns in its last hour, a 1-hour one in its last 12 minutes).
 */
export function shortProxyWarning(timeLeftSeconds: number, lifetimeSeconds: number): string | undefined {
  if (timeLeftSeconds <= 0) return 'the proxy has expired: make a new one (weft grid-proxy-init or weft myproxy-logon)';
  if (timeLeftSeconds >= SHORT_PROXY_SECONDS || timeLeftSeconds >= lifetimeSeconds * SHORT_PROXY_SHARE) return undefined;
  return `the proxy ends in ${formatTimeLeft(timeLeftSeconds)}: make a new one before it does (weft grid-proxy-init)`;
}
