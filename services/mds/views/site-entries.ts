/** Every entry one site contributes to the index: its MDS2-style and its GLUE 2.0 entries. */
import type { Entry } from '../directory/entry.ts';
import { glue2Entries, type Glue2Options } from './glue2-view.ts';
import { mdsEntries } from './mds-view.ts';
import type { SiteSnapshot } from './site-snapshot.ts';

export type ViewOptions = Glue2Options;

export function siteEntries(snapshot: SiteSnapshot, options: ViewOptions): Entry[] {
  return [...mdsEntries(snapshot), ...glue2Entries(snapshot, options)];
}
