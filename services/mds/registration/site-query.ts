/**
 * querySites' filter: an RFC 4515 LDAP filter evaluated by the index's own directory code
 * against each live site's `Mds-Host-hn` entry (the MDS view), so a query answers what an LDAP
 * search for `(&(objectClass=MdsHost)<filter>)` under Mds-Vo-name=local,o=grid would. Bounded
 * before ldapjs parses it: at most 1024 characters and 8 levels of parentheses.
 */
import ldap, { type LdapFilter } from 'ldapjs';
import type { Filter } from '../directory/filter.ts';
import { compileFilter, type CompiledFilter } from '../directory/match-filter.ts';
import { mdsError } from '../errors.ts';
import { convertFilter } from '../ldap/convert-filter.ts';

export const MAX_QUERY_CHARS = 1024;
export const MAX_QUERY_DEPTH = 8;

/** Parses and compiles a query filter; an empty one matches every site. */
export function compileSiteQuery(text: unknown): CompiledFilter {
  if (text === undefined || text === null || (typeof text === 'string' && text.trim() === '')) return () => true;
  if (typeof text !== 'string') throw mdsError('MDS_BAD_QUERY', 'the filter must be text', { field: 'filter' });
  if (text.length > MAX_QUERY_CHARS) {
    throw mdsError('MDS_BAD_QUERY', `the filter is ${text.length} characters long; at most ${MAX_QUERY_CHARS}`, { field: 'filter' });
  }
  let depth = 0;
  for (const char of text) {
    if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    if (depth > MAX_QUERY_DEPTH) {
      throw mdsError('MDS_BAD_QUERY', `the filter is nested more than ${MAX_QUERY_DEPTH} levels deep`, { field: 'filter' });
    }
  }
  let parsed: LdapFilter;
  try {
    parsed = (ldap as unknown as { parseFilter(text: string): LdapFilter }).parseFilter(text);
  } catch (error) {
    throw mdsError('MDS_BAD_QUERY', `the filter ${JSON.stringify(text.slice(0, 80))} is not an LDAP filter (${(error as Error).message})`, { field: 'filter' });
  }
  const filter: Filter = convertFilter(parsed);
  return compileFilter(filter);
}
