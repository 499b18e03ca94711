/**
 * One directory entry: its DN (as displayed and normalised), its attributes with their values
 * as published and in matching form, and the owner that publishes it (a site name, or `''` for
 * the index's own fixed entries). Entries are immutable: a change replaces the entry.
 */
import { formatDn, normalizeRdns, parentNdn, parseDn, type Rdn } from './dn.ts';
import { normalizeValue } from './matching.ts';

export interface Attribute {
  /** The name as the schema spells it, e.g. `GLUE2ComputingShareFreeSlots`. */
  readonly name: string;
  readonly values: readonly string[];
  /** `values` in caseIgnoreMatch form, same order. */
  readonly normalized: readonly string[];
}

export interface Entry {
  readonly dn: string;
  readonly ndn: string;
  readonly parentNdn: string;
  readonly rdns: readonly Rdn[];
  /** Keyed by the lower-cased attribute name. */
  readonly attributes: ReadonlyMap<string, Attribute>;
  /** The same attributes in publishing order (objectClass first), for output. */
  readonly attributeList: readonly Attribute[];
  readonly owner: string;
}

export type AttributeValues = string | number | boolean | readonly (string | number)[] | undefined;

function valueText(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/**
 * Builds an entry. Attributes whose value is undefined or an empty list are left out; the
 * values of the entry's RDN are added when missing, as LDAP requires.
 */
export function makeEntry(dn: string, attributes: Readonly<Record<string, AttributeValues>>, owner = ''): Entry {
  const rdns = parseDn(dn);
  const byName = new Map<string, Attribute>();
  const list: Attribute[] = [];
  const add = (name: string, values: string[]) => {
    const key = name.toLowerCase();
    const existing = byName.get(key);
    const merged = existing ? [...existing.values, ...values.filter((v) => !existing.values.includes(v))] : values;
    const attribute: Attribute = { name: existing?.name ?? name, values: merged, normalized: merged.map(normalizeValue) };
    byName.set(key, attribute);
    if (existing) list[list.indexOf(existing)] = attribute;
    else list.push(attribute);
  };
  for (const [name, raw] of Object.entries(attributes)) {
    if (raw === undefined) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).map((v: string | number | boolean) => valueText(v));
    if (values.length > 0) add(name, values);
  }
  for (const ava of rdns[0] ?? []) {
    const attribute = byName.get(ava.type.toLowerCase());
    if (!attribute || !attribute.normalized.includes(normalizeValue(ava.value))) add(ava.type, [ava.value]);
  }
  const ndn = normalizeRdns(rdns);
  return { dn: formatDn(rdns), ndn, parentNdn: parentNdn(ndn), rdns, attributes: byName, attributeList: list, owner };
}
