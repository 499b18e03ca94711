/**
 * The index's fixed entries: the two naming contexts and the containers sites hang under.
 * They belong to the owner `''` and never expire.
 */
import { makeEntry, type Entry } from '../directory/entry.ts';

export const MDS_SUFFIX = 'o=grid';
export const MDS_VO_DN = 'Mds-Vo-name=local,o=grid';
export const GLUE_SUFFIX = 'o=glue';
export const GLUE_GROUP_DN = 'GLUE2GroupID=grid,o=glue';

/** The naming contexts the root DSE lists, the Globus one first. */
export const NAMING_CONTEXTS: readonly string[] = [MDS_VO_DN, GLUE_SUFFIX];

export function namingContextEntries(): Entry[] {
  return [
    makeEntry(MDS_SUFFIX, { objectClass: ['top', 'organization'], o: 'grid' }),
    makeEntry(MDS_VO_DN, { objectClass: ['Mds', 'MdsVo'], 'Mds-Vo-name': 'local' }),
    makeEntry(GLUE_SUFFIX, { objectClass: ['top', 'organization'], o: 'glue' }),
    makeEntry(GLUE_GROUP_DN, { objectClass: 'GLUE2Group', GLUE2GroupID: 'grid' }),
  ];
}
