/**
 * The root DSE (RFC 4512 section 5.1): what a client learns from `ldapsearch -s base -b ""`.
 * Its attributes are returned whether or not they are asked for by name (as 389-ds and Active
 * Directory do), so a plain `ldapsearch -x -s base -b "" ` shows the naming contexts.
 */
import { makeEntry, type Entry } from '../directory/entry.ts';
import { NAMING_CONTEXTS } from '../views/naming-contexts.ts';
import { PAGED_RESULTS_OID } from './result-codes.ts';

export function rootDseEntry(): Entry {
  return makeEntry('', {
    objectClass: ['top', 'WeftRootDSE'],
    namingContexts: NAMING_CONTEXTS,
    supportedLDAPVersion: 3,
    supportedControl: PAGED_RESULTS_OID,
    supportedFeatures: '1.3.6.1.4.1.4203.1.5.1', // all operational attributes (`+`)
    vendorName: 'Weft',
  });
}
