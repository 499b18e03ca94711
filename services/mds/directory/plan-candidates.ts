/**
 * Chooses the entries a search must look at. A filter item on an indexed attribute yields the
 * entries from that attribute's index; `and` takes the smallest of its items' sets, `or` the
 * union when every branch is indexed. Anything else (`not`, presence, unindexed attributes) says
 * "no narrowing", and the search walks the scope instead. The full filter is always checked on
 * each candidate afterwards, so a plan only has to be a superset of the answer.
 */
import type { AttributeIndex } from './attribute-index.ts';
import type { Entry } from './entry.ts';
import type { Filter } from './filter.ts';
import { attributeKey } from './match-filter.ts';
import { approxKey, compareValues, matchesSubstring, normalizeValue } from './matching.ts';

export type Candidates = ReadonlySet<Entry> | readonly Entry[];

const NONE: readonly Entry[] = Object.freeze([]);

export function sizeOf(candidates: Candidates): number {
  return Array.isArray(candidates) ? candidates.length : (candidates as ReadonlySet<Entry>).size;
}

/** Candidate entries for `filter`, or undefined when the indexes cannot narrow it. */
export function planCandidates(filter: Filter, indexes: ReadonlyMap<string, AttributeIndex>): Candidates | undefined {
  switch (filter.type) {
    case 'equality': {
      const index = indexes.get(attributeKey(filter.attribute));
      if (!index) return undefined;
      return index.equal(normalizeValue(filter.value)) ?? NONE;
    }
    case 'substring': {
      const index = indexes.get(attributeKey(filter.attribute));
      if (!index) return undefined;
      const initial = filter.initial === undefined ? undefined : normalizeValue(filter.initial);
      const final = filter.final === undefined ? undefined : normalizeValue(filter.final);
      const any = filter.any.map(normalizeValue);
      return index.where((value) => matchesSubstring(value, initial, any, final));
    }
    case 'greaterOrEqual':
    case 'lessOrEqual': {
      const index = indexes.get(attributeKey(filter.attribute));
      if (!index) return undefined;
      const wanted = normalizeValue(filter.value);
      const sign = filter.type === 'greaterOrEqual' ? 1 : -1;
      return index.where((value) => sign * compareValues(value, wanted) >= 0);
    }
    case 'approx': {
      const index = indexes.get(attributeKey(filter.attribute));
      if (!index) return undefined;
      const wanted = approxKey(normalizeValue(filter.value));
      return index.where((value) => approxKey(value) === wanted);
    }
    case 'and': {
      let best: Candidates | undefined;
      // Equality items first: they are cheap and usually the narrowest.
      const ordered = [...filter.filters].sort((a, b) => Number(b.type === 'equality') - Number(a.type === 'equality'));
      for (const child of ordered) {
        const candidates = planCandidates(child, indexes);
        if (candidates !== undefined && (best === undefined || sizeOf(candidates) < sizeOf(best))) best = candidates;
        if (best !== undefined && sizeOf(best) <= 1) break;
      }
      return best;
    }
    case 'or': {
      const union = new Set<Entry>();
      for (const child of filter.filters) {
        const candidates = planCandidates(child, indexes);
        if (candidates === undefined) return undefined;
        for (const entry of candidates) union.add(entry);
      }
      return union;
    }
    default:
      return undefined;
  }
}
