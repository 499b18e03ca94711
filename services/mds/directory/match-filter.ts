/**
 * Evaluates a filter against one entry, case-insensitively (see matching.ts). An attribute the
 * entry lacks makes its item false; `not` of that is true, as in every LDAP server that has no
 * schema for the attribute in question.
 */
import type { Entry } from './entry.ts';
import type { Filter } from './filter.ts';
import { approxKey, compareValues, matchesSubstring, normalizeValue } from './matching.ts';

/** Matching rules an extensible filter may name; anything else matches nothing. */
const EXTENSIBLE_RULES = new Set([
  'caseignorematch', '2.5.13.2', 'caseexactmatch', '2.5.13.5', 'integermatch', '2.5.13.14',
  'caseignoreia5match', '1.3.6.1.4.1.1466.109.114.2', 'distinguishednamematch', '2.5.13.1',
]);
const CASE_EXACT_RULES = new Set(['caseexactmatch', '2.5.13.5']);

/** Strips attribute options (`cn;lang-en` → `cn`) and folds case, for attribute lookups. */
export function attributeKey(name: string): string {
  const semicolon = name.indexOf(';');
  return (semicolon < 0 ? name : name.slice(0, semicolon)).toLowerCase();
}

function matchesExtensible(entry: Entry, filter: Extract<Filter, { type: 'extensible' }>): boolean {
  const rule = filter.rule?.toLowerCase();
  if (rule !== undefined && !EXTENSIBLE_RULES.has(rule)) return false;
  const exact = rule !== undefined && CASE_EXACT_RULES.has(rule);
  const wanted = exact ? filter.value : normalizeValue(filter.value);
  const key = filter.attribute === undefined ? undefined : attributeKey(filter.attribute);
  const test = (raw: string, normalized: string) => (exact ? raw === wanted : normalized === wanted);
  if (key === undefined) {
    for (const attribute of entry.attributeList) {
      for (let i = 0; i < attribute.values.length; i += 1) {
        if (test(attribute.values[i] as string, attribute.normalized[i] as string)) return true;
      }
    }
  } else {
    const attribute = entry.attributes.get(key);
    if (attribute) {
      for (let i = 0; i < attribute.values.length; i += 1) {
        if (test(attribute.values[i] as string, attribute.normalized[i] as string)) return true;
      }
    }
  }
  if (filter.dnAttributes) {
    for (const rdn of entry.rdns) {
      for (const ava of rdn) {
        if (key !== undefined && ava.type.toLowerCase() !== key) continue;
        if (test(ava.value, normalizeValue(ava.value))) return true;
      }
    }
  }
  return false;
}

/** A filter prepared once per search: values normalised up front, one closure per item. */
export type CompiledFilter = (entry: Entry) => boolean;

/** Compiles `filter` into a predicate; evaluating it does no per-entry normalisation of the filter. */
export function compileFilter(filter: Filter): CompiledFilter {
  switch (filter.type) {
    case 'and': {
      const children = filter.filters.map(compileFilter);
      return (entry) => {
        for (const child of children) if (!child(entry)) return false;
        return true;
      };
    }
    case 'or': {
      const children = filter.filters.map(compileFilter);
      return (entry) => {
        for (const child of children) if (child(entry)) return true;
        return false;
      };
    }
    case 'not': {
      const child = compileFilter(filter.filter);
      return (entry) => !child(entry);
    }
    case 'present': {
      const key = attributeKey(filter.attribute);
      if (key === 'objectclass') return () => true; // every entry has one
      return (entry) => entry.attributes.has(key);
    }
    case 'equality': {
      const key = attributeKey(filter.attribute);
      const wanted = normalizeValue(filter.value);
      return (entry) => {
        const attribute = entry.attributes.get(key);
        return attribute !== undefined && attribute.normalized.includes(wanted);
      };
    }
    case 'greaterOrEqual':
    case 'lessOrEqual': {
      const key = attributeKey(filter.attribute);
      const wanted = normalizeValue(filter.value);
      const sign = filter.type === 'greaterOrEqual' ? 1 : -1;
      return (entry) => {
        const attribute = entry.attributes.get(key);
        return attribute !== undefined && attribute.normalized.some((value) => sign * compareValues(value, wanted) >= 0);
      };
    }
    case 'approx': {
      const key = attributeKey(filter.attribute);
      const wanted = approxKey(normalizeValue(filter.value));
      return (entry) => {
        const attribute = entry.attributes.get(key);
        return attribute !== undefined && attribute.normalized.some((value) => approxKey(value) === wanted);
      };
    }
    case 'substring': {
      const key = attributeKey(filter.attribute);
      const initial = filter.initial === undefined ? undefined : normalizeValue(filter.initial);
      const final = filter.final === undefined ? undefined : normalizeValue(filter.final);
      const any = filter.any.map(normalizeValue);
      return (entry) => {
        const attribute = entry.attributes.get(key);
        return attribute !== undefined && attribute.normalized.some((value) => matchesSubstring(value, initial, any, final));
      };
    }
    case 'extensible':
      return (entry) => matchesExtensible(entry, filter);
  }
}

/** True when `entry` matches `filter` (compiles it each call: for one-off checks and tests). */
export function matchesFilter(entry: Entry, filter: Filter): boolean {
  return compileFilter(filter)(entry);
}
