/**
 * An equality index over one attribute: normalised value → the entries holding it. Besides exact
 * lookups it answers "entries whose value passes this test" by testing each distinct value once,
 * which narrows substring, ordering and approximate filters to a candidate set without reading
 * every entry.
 */
import type { Entry } from './entry.ts';

export class AttributeIndex {
  readonly #byValue = new Map<string, Set<Entry>>();

  constructor(readonly key: string) {}

  add(entry: Entry): void {
    const attribute = entry.attributes.get(this.key);
    if (!attribute) return;
    for (const value of attribute.normalized) {
      let set = this.#byValue.get(value);
      if (!set) {
        set = new Set();
        this.#byValue.set(value, set);
      }
      set.add(entry);
    }
  }

  delete(entry: Entry): void {
    const attribute = entry.attributes.get(this.key);
    if (!attribute) return;
    for (const value of attribute.normalized) {
      const set = this.#byValue.get(value);
      if (!set) continue;
      set.delete(entry);
      if (set.size === 0) this.#byValue.delete(value);
    }
  }

  /** Entries whose value equals the normalised `value` (a live set: do not change it). */
  equal(value: string): ReadonlySet<Entry> | undefined {
    return this.#byValue.get(value);
  }

  /** Entries with at least one value passing `test`, each once. */
  where(test: (normalized: string) => boolean): Entry[] {
    const hits: Entry[] = [];
    let sets = 0;
    for (const [value, set] of this.#byValue) {
      if (!test(value)) continue;
      sets += 1;
      for (const entry of set) hits.push(entry);
    }
    // A multi-valued attribute can put one entry in two matching sets.
    return sets > 1 ? [...new Set(hits)] : hits;
  }

  /** How many distinct values are indexed. */
  get distinctValues(): number {
    return this.#byValue.size;
  }
}
