/**
 * Where the index reads sites from. The Redis adapter is what runs; tests of the sync logic may
 * use an in-memory one.
 */
import type { SiteSnapshot } from '../views/site-snapshot.ts';

export interface FetchedSite {
  readonly snapshot: SiteSnapshot;
  /** Milliseconds until the record expires unless refreshed; Infinity when it has no TTL. */
  readonly expiresInMs: number;
  /** ISO time a broker quarantine of the site ends, while it is quarantined. */
  readonly quarantinedUntil?: string;
}

/** What changed: some sites by name, or possibly anything (after a reconnect). */
export type SiteChange = { readonly kind: 'sites'; readonly names: readonly string[] } | { readonly kind: 'all' };

export interface SiteSource {
  /** Every registered site name (live or not). */
  names(): Promise<string[]>;
  /** The current record of each site, or undefined for one that is gone. */
  fetch(names: readonly string[]): Promise<Map<string, FetchedSite | undefined>>;
  /** Calls `onChange` whenever a site's record or load may have changed; returns a stopper. */
  watch(onChange: (change: SiteChange) => void): Promise<() => Promise<void>>;
}
