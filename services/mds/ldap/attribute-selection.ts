/**
 * Which attributes a search returns (RFC 4511 section 4.5.1.8): none asked or `*` means every
 * user attribute, `1.1` alone means none, names are matched without case or options. The
 * index has no operational attributes of its own beyond the root DSE's, so `+` adds nothing.
 */
import { attributeKey } from '../directory/match-filter.ts';

export interface AttributeSelection {
  /** Every attribute of the entry. */
  readonly all: boolean;
  /** Lower-cased names when not `all`. */
  readonly names: ReadonlySet<string>;
  /** A stable text for caching encodings by selection. */
  readonly key: string;
}

export const ALL_ATTRIBUTES: AttributeSelection = Object.freeze({ all: true, names: new Set<string>(), key: '*' });

export function selectAttributes(requested: readonly string[]): AttributeSelection {
  if (requested.length === 0 || requested.includes('*')) return ALL_ATTRIBUTES;
  const names = new Set<string>();
  for (const name of requested) {
    if (name === '1.1' || name === '+' || name === '') continue;
    names.add(attributeKey(name));
  }
  return { all: false, names, key: [...names].sort().join(',') };
}
