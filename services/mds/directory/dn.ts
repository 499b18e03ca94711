/**
 * Distinguished names as RFC 4514 writes them: parsing (with the spaces around `,` and `=` that
 * MDS2-era clients still send), display formatting with every special character escaped, and
 * the normalised form the directory keys entries by.
 *
 * The normalised form lower-cases attribute types, normalises values as caseIgnoreMatch does
 * (trimmed, inner spaces collapsed, lower case), sorts the parts of a multi-valued RDN, and
 * escapes every special character as `\xx` hex, so that an unescaped `,` or `+` in it is always
 * structure: `ndn.endsWith(',' + baseNdn)` is then an exact "is below" test.
 */
import { mdsError } from '../errors.ts';
import { normalizeValue } from './matching.ts';

/** One `type=value` of an RDN; `value` is unescaped. */
export interface Ava {
  readonly type: string;
  readonly value: string;
}
export type Rdn = readonly Ava[];

const TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;
const HEX = /^[0-9A-Fa-f]{2}$/;
const SPECIAL = new Set(['"', '+', ',', ';', '<', '>', '\\', '=', '#', ' ']);

function invalid(text: string, why: string): never {
  throw mdsError('MDS_INVALID_DN', `the DN "${text.slice(0, 200)}" is not valid: ${why}`);
}

/** Reads `\xx` hex escapes into bytes and UTF-8-decodes runs of them. */
function decodeHexRun(bytes: number[]): string {
  return Buffer.from(bytes).toString('utf8');
}

/** Parses an RFC 4514 DN (an empty string is the root, with no RDNs). Throws MDS_INVALID_DN. */
export function parseDn(text: string): Rdn[] {
  const rdns: Ava[][] = [];
  if (text.trim() === '') return rdns;
  let i = 0;
  let rdn: Ava[] = [];
  const n = text.length;
  const skipSpaces = () => {
    while (i < n && text[i] === ' ') i += 1;
  };
  for (;;) {
    skipSpaces();
    const typeStart = i;
    while (i < n && text[i] !== '=' && text[i] !== ',' && text[i] !== '+') i += 1;
    const type = text.slice(typeStart, i).trim();
    if (text[i] !== '=') invalid(text, `"${type}" has no "="`);
    if (!TYPE.test(type)) invalid(text, `"${type}" is not an attribute type`);
    i += 1; // '='
    skipSpaces();
    let value = '';
    if (text[i] === '#') {
      // #hexstring: the BER encoding of the value; kept as its text form.
      const start = i;
      i += 1;
      while (i < n && /[0-9A-Fa-f]/.test(text[i] as string)) i += 1;
      value = text.slice(start, i);
      if (value.length < 3 || value.length % 2 === 0) invalid(text, 'a #hex value needs pairs of hex digits');
    } else {
      let pending: number[] = [];
      let trailingEscapedSpace = 0;
      let raw = '';
      const flush = () => {
        if (pending.length > 0) raw += decodeHexRun(pending);
        pending = [];
      };
      while (i < n && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') {
        const c = text[i] as string;
        if (c === '\\') {
          const next = text.slice(i + 1, i + 3);
          if (HEX.test(next)) {
            pending.push(parseInt(next, 16));
            i += 3;
            trailingEscapedSpace = 0;
            continue;
          }
          const escaped = text[i + 1];
          if (escaped === undefined || !SPECIAL.has(escaped)) invalid(text, 'a backslash must escape a special character or two hex digits');
          flush();
          raw += escaped;
          trailingEscapedSpace = escaped === ' ' ? raw.length : 0;
          i += 2;
          continue;
        }
        // RFC 4514 wants " < > escaped too, but only , + ; are structure: accept them bare.
        flush();
        raw += c;
        i += 1;
      }
      flush();
      // Unescaped trailing spaces belong to the separator, escaped ones to the value.
      let end = raw.length;
      while (end > trailingEscapedSpace && raw[end - 1] === ' ') end -= 1;
      value = raw.slice(0, end);
    }
    rdn.push({ type, value });
    skipSpaces();
    if (i >= n) {
      rdns.push(rdn);
      return rdns;
    }
    const separator = text[i];
    i += 1;
    if (separator === ',' || separator === ';') {
      rdns.push(rdn);
      rdn = [];
      skipSpaces();
      if (i >= n) invalid(text, 'it ends with a separator');
    }
  }
}

/** Escapes a value for a DN string (RFC 4514 section 2.4, plus `=` for fragile parsers). */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let k = 0; k < value.length; k += 1) {
    const c = value[k] as string;
    if (c === '\0') out += '\\00';
    else if (c === '"' || c === '+' || c === ',' || c === ';' || c === '<' || c === '>' || c === '\\' || c === '=') out += `\\${c}`;
    else if ((c === '#' || c === ' ') && k === 0) out += `\\${c}`;
    else if (c === ' ' && k === value.length - 1) out += '\\ ';
    else out += c;
  }
  return out;
}

/** Escapes every special character as `\xx`, for the normalised form. */
function escapeNormalized(value: string): string {
  let out = '';
  for (let k = 0; k < value.length; k += 1) {
    const c = value[k] as string;
    if (SPECIAL.has(c) && (c !== ' ' || k === 0 || k === value.length - 1)) {
      out += `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    } else if (c === ';' || c === '\0') {
      out += `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    } else out += c;
  }
  return out;
}

/** A DN as people read it: `type=value` parts joined by `,`, values escaped. */
export function formatDn(rdns: readonly Rdn[]): string {
  return rdns.map((rdn) => rdn.map((ava) => `${ava.type}=${escapeDnValue(ava.value)}`).join('+')).join(',');
}

function normalizeRdn(rdn: Rdn): string {
  const parts = rdn.map((ava) => `${ava.type.toLowerCase()}=${escapeNormalized(normalizeValue(ava.value))}`);
  if (parts.length > 1) parts.sort();
  return parts.join('+');
}

/** The normalised form of parsed RDNs (see the file comment). */
export function normalizeRdns(rdns: readonly Rdn[]): string {
  return rdns.map(normalizeRdn).join(',');
}

/** Parses and normalises a DN string. Throws MDS_INVALID_DN. */
export function normalizeDn(text: string): string {
  return normalizeRdns(parseDn(text));
}

/** The normalised parent of a normalised DN ('' for a top-level entry or the root). */
export function parentNdn(ndn: string): string {
  const comma = ndn.indexOf(',');
  return comma < 0 ? '' : ndn.slice(comma + 1);
}

/** True when the normalised `ndn` is `baseNdn` or below it. The root ('') holds everything. */
export function isAtOrBelow(ndn: string, baseNdn: string): boolean {
  if (baseNdn === '') return true;
  if (ndn.length === baseNdn.length) return ndn === baseNdn;
  return ndn.length > baseNdn.length && ndn.endsWith(baseNdn) && ndn.charCodeAt(ndn.length - baseNdn.length - 1) === 44; // ','
}
