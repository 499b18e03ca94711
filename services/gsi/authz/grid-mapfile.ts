/**
 * The Globus grid-mapfile: which certificate DNs may use this site, and as which local account.
 *
 *   # comment
 *   "/O=Grid/OU=Weft/CN=Dev User" weft
 *   "/O=Grid/OU=Weft/CN=Ann Other" ann,shared
 *   /O=Grid/CN=NoSpaces guest
 *
 * As in Globus (gss_assist gridmap.c): leading whitespace is skipped, `#` starts a comment line,
 * the DN is quoted (with `\"` for a quote inside) or runs to the first whitespace, and the
 * accounts follow separated by commas (or whitespace); the first account is the default. A
 * token starting with `#` after the DN ends the line. The first line for a DN wins. Matching
 * follows Globus's `dn_cmp`: ASCII case is ignored, Email/E/emailAddress and UID/USERID are one.
 * Unlike Globus, a bad line is not silently skipped: every bad line is reported with its number.
 */
import { readFile } from 'node:fs/promises';
import { globusDnKey, parseGlobusDn } from '../dn.ts';
import { gsiError } from '../errors.ts';

/** One mapping line. */
export interface GridMapEntry {
  /** The DN as written (escapes kept), in Globus form. */
  readonly dn: string;
  /** Local accounts, the default first. */
  readonly accounts: readonly string[];
  /** 1-based line number, for messages. */
  readonly line: number;
}

/** A parsed grid-mapfile. */
export interface GridMap {
  readonly source: string;
  readonly entries: readonly GridMapEntry[];
  /** Entries by `globusDnKey`, first line winning. */
  readonly byKey: ReadonlyMap<string, GridMapEntry>;
}

/** Parses one non-comment line, or says what is wrong with it. */
function parseLine(text: string, line: number): GridMapEntry | string {
  let dn: string;
  let rest: string;
  if (text.startsWith('"')) {
    let end = 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) return 'the closing quote of the DN is missing';
    dn = text.slice(1, end).replace(/\\"/g, '"');
    rest = text.slice(end + 1);
    if (rest !== '' && !/^\s/.test(rest))
      return 'the closing quote of the DN must be followed by a space';
  } else {
    const space = text.search(/\s/);
    if (space < 0) return 'no local account follows the DN';
    dn = text.slice(0, space);
    rest = text.slice(space);
  }
  const tokens = rest
    .trim()
    .split(/[\s,]+/)
    .filter((t) => t !== '');
  const comment = tokens.findIndex((t) => t.startsWith('#'));
  const accounts = comment < 0 ? tokens : tokens.slice(0, comment);
  if (accounts.length === 0) return 'no local account follows the DN';
  try {
    parseGlobusDn(dn);
  } catch (error) {
    return (error as Error).message;
  }
  return { dn, accounts, line };
}

/**
 * Parses grid-mapfile text. Throws GSI_GRID_MAPFILE_SYNTAX naming every bad line, so that an
 * administrator fixes them all in one go and no mapping is silently dropped.
 */
export function parseGridMapfile(text: string, source = 'grid-mapfile'): GridMap {
  const entries: GridMapEntry[] = [];
  const problems: Array<{ line: number; why: string }> = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const parsed = parseLine(trimmed, index + 1);
    if (typeof parsed === 'string') problems.push({ line: index + 1, why: parsed });
    else entries.push(parsed);
  });
  if (problems.length > 0) {
    const list = problems.map((p) => `line ${p.line}: ${p.why}`).join('; ');
    throw gsiError(
      'GSI_GRID_MAPFILE_SYNTAX',
      `${source} has ${problems.length} bad line(s): ${list}`,
      {
        source,
        lines: problems.map((p) => p.line).join(', '),
      },
    );
  }
  const byKey = new Map<string, GridMapEntry>();
  for (const entry of entries) {
    const key = globusDnKey(entry.dn);
    if (!byKey.has(key)) byKey.set(key, entry);
  }
  return Object.freeze({ source, entries: Object.freeze(entries), byKey });
}

/** Reads and parses a grid-mapfile from disk. */
export async function readGridMapfile(path: string): Promise<GridMap> {
  return parseGridMapfile(await readFile(path, 'utf8'), path);
}

/** All accounts a DN may use (default first); empty when the DN is not listed. */
export function lookupAccounts(map: GridMap, dn: string): readonly string[] {
  return map.byKey.get(globusDnKey(dn))?.accounts ?? [];
}

/** The default local account for a DN, or `undefined` when the DN is not listed. */
export function lookupAccount(map: GridMap, dn: string): string | undefined {
  return lookupAccounts(map, dn)[0];
}

/**
 * The account a DN acts as: `wanted` if given and listed for it, else its default. Throws
 * GSI_NOT_AUTHORIZED when the DN is not listed (or may not use `wanted`).
 */
export function requireAccount(map: GridMap, dn: string, wanted?: string): string {
  const accounts = lookupAccounts(map, dn);
  const account = wanted === undefined ? accounts[0] : accounts.find((a) => a === wanted);
  if (account === undefined) {
    throw gsiError(
      'GSI_NOT_AUTHORIZED',
      accounts.length === 0
        ? `"${dn}" is not listed in ${map.source}`
        : `"${dn}" may not act as the local account "${wanted}" (listed: ${accounts.join(', ')})`,
      { dn, source: map.source },
    );
  }
  return account;
}
