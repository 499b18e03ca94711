/**
 * The in-memory directory the index answers from: entries by normalised DN (base searches),
 * children by parent DN (one-level searches and subtree walks), and an equality index per
 * common attribute so that subtree searches on them touch only the entries that can match.
 * Entries are grouped by owner (a site), so a site's entries are replaced or dropped as one.
 */
import { AttributeIndex } from './attribute-index.ts';
import { isAtOrBelow, parentNdn } from './dn.ts';
import type { Entry } from './entry.ts';
import type { Filter } from './filter.ts';
import { compileFilter } from './match-filter.ts';
import { planCandidates, sizeOf } from './plan-candidates.ts';

export type SearchScope = 'base' | 'one' | 'sub';

export interface SearchQuery {
  /** Normalised base DN; `''` is the root above every naming context. */
  readonly baseNdn: string;
  readonly scope: SearchScope;
  readonly filter: Filter;
  /** Most entries to return; 0 for no limit. */
  readonly sizeLimit: number;
  /** `performance.now()` after which the search stops; Infinity for none. */
  readonly deadline: number;
}

export interface SearchResult {
  readonly status: 'ok' | 'noSuchObject';
  readonly entries: readonly Entry[];
  /** More entries matched than `sizeLimit`; `entries` holds the first `sizeLimit`. */
  readonly sizeLimitExceeded: boolean;
  readonly timeLimitExceeded: boolean;
  /** With noSuchObject: the display DN of the deepest existing ancestor of the base, or ''. */
  readonly matchedDn: string;
  /** How many entries the filter was evaluated on (what the indexes saved shows here). */
  readonly examined: number;
}

export interface DirectoryOptions {
  /** Attributes with an equality index (any case). */
  readonly indexedAttributes: readonly string[];
}

/** How many entries are examined between two looks at the clock. */
const CLOCK_EVERY = 256;

export class Directory {
  readonly #entries = new Map<string, Entry>();
  readonly #children = new Map<string, Map<string, Entry>>();
  readonly #owned = new Map<string, Set<string>>();
  readonly #indexes = new Map<string, AttributeIndex>();

  constructor(options: DirectoryOptions) {
    for (const name of options.indexedAttributes) {
      const key = name.toLowerCase();
      this.#indexes.set(key, new AttributeIndex(key));
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  get(ndn: string): Entry | undefined {
    return this.#entries.get(ndn);
  }

  /** Every entry, in no particular order. */
  entries(): IterableIterator<Entry> {
    return this.#entries.values();
  }

  /** Adds `entry`, replacing any entry with the same DN. */
  put(entry: Entry): void {
    const old = this.#entries.get(entry.ndn);
    if (old) this.#unlink(old);
    this.#entries.set(entry.ndn, entry);
    let siblings = this.#children.get(entry.parentNdn);
    if (!siblings) {
      siblings = new Map();
      this.#children.set(entry.parentNdn, siblings);
    }
    siblings.set(entry.ndn, entry);
    for (const index of this.#indexes.values()) index.add(entry);
    let owned = this.#owned.get(entry.owner);
    if (!owned) {
      owned = new Set();
      this.#owned.set(entry.owner, owned);
    }
    owned.add(entry.ndn);
  }

  /** Removes the entry with this normalised DN; false when there was none. */
  remove(ndn: string): boolean {
    const entry = this.#entries.get(ndn);
    if (!entry) return false;
    this.#unlink(entry);
    this.#entries.delete(ndn);
    return true;
  }

  /** Makes `entries` the whole set `owner` publishes: puts them, drops its others. */
  replaceOwned(owner: string, entries: readonly Entry[]): void {
    const keep = new Set(entries.map((entry) => entry.ndn));
    for (const ndn of [...(this.#owned.get(owner) ?? [])]) if (!keep.has(ndn)) this.remove(ndn);
    for (const entry of entries) {
      if (entry.owner !== owner) throw new Error(`entry ${entry.dn} belongs to "${entry.owner}", not "${owner}"`);
      this.put(entry);
    }
  }

  /** Drops every entry `owner` published. */
  removeOwned(owner: string): void {
    for (const ndn of [...(this.#owned.get(owner) ?? [])]) this.remove(ndn);
  }

  /** Owners with at least one entry. */
  owners(): string[] {
    return [...this.#owned.keys()];
  }

  #unlink(entry: Entry): void {
    const siblings = this.#children.get(entry.parentNdn);
    siblings?.delete(entry.ndn);
    if (siblings?.size === 0) this.#children.delete(entry.parentNdn);
    for (const index of this.#indexes.values()) index.delete(entry);
    const owned = this.#owned.get(entry.owner);
    owned?.delete(entry.ndn);
    if (owned?.size === 0) this.#owned.delete(entry.owner);
  }

  /** The display DN of the deepest existing ancestor of `ndn` ('' when none). */
  #matchedDn(ndn: string): string {
    for (let parent = parentNdn(ndn); parent !== ''; parent = parentNdn(parent)) {
      const entry = this.#entries.get(parent);
      if (entry) return entry.dn;
    }
    return '';
  }

  search(query: SearchQuery): SearchResult {
    const { baseNdn, scope } = query;
    const base = baseNdn === '' ? undefined : this.#entries.get(baseNdn);
    if (baseNdn !== '' && !base) {
      return {
        status: 'noSuchObject',
        entries: [],
        sizeLimitExceeded: false,
        timeLimitExceeded: false,
        matchedDn: this.#matchedDn(baseNdn),
        examined: 0,
      };
    }
    const matches = compileFilter(query.filter);
    const limit = query.sizeLimit > 0 ? query.sizeLimit : Infinity;
    const found: Entry[] = [];
    let sizeLimitExceeded = false;
    let timeLimitExceeded = false;
    let examined = 0;
    /** Offers one entry; false when the search must stop. */
    const offer = (entry: Entry): boolean => {
      examined += 1;
      if (examined % CLOCK_EVERY === 0 && performance.now() > query.deadline) {
        timeLimitExceeded = true;
        return false;
      }
      if (!matches(entry)) return true;
      if (found.length >= limit) {
        sizeLimitExceeded = true;
        return false;
      }
      found.push(entry);
      return true;
    };
    const result = (): SearchResult => ({ status: 'ok', entries: found, sizeLimitExceeded, timeLimitExceeded, matchedDn: '', examined });

    if (scope === 'base') {
      if (base) offer(base);
      return result();
    }
    const candidates = planCandidates(query.filter, this.#indexes);
    if (scope === 'one') {
      const children = this.#children.get(baseNdn);
      if (!children) return result();
      if (candidates !== undefined && sizeOf(candidates) < children.size) {
        for (const entry of candidates) if (entry.parentNdn === baseNdn && !offer(entry)) break;
      } else {
        for (const entry of children.values()) if (!offer(entry)) break;
      }
      return result();
    }
    if (candidates !== undefined) {
      for (const entry of candidates) if (isAtOrBelow(entry.ndn, baseNdn) && !offer(entry)) break;
      return result();
    }
    // No index helps: walk the subtree, parents before their children.
    const stack: Entry[] = [];
    if (base) stack.push(base);
    else for (const top of [...(this.#children.get('')?.values() ?? [])].reverse()) stack.push(top);
    while (stack.length > 0) {
      const entry = stack.pop() as Entry;
      if (!offer(entry)) break;
      const children = this.#children.get(entry.ndn);
      if (children) {
        const list = [...children.values()];
        for (let i = list.length - 1; i >= 0; i -= 1) stack.push(list[i] as Entry);
      }
    }
    return result();
  }
}
