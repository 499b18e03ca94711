/**
 * Who may register, refresh and unregister which site: a file in Globus grid-mapfile syntax
 * where the "accounts" are site names, or `*` for every site:
 *
 *   "/O=Grid/OU=Weft/CN=Dev User" *
 *   "/O=Grid/OU=Alpha/CN=Alpha Admin" alpha,alpha-gpu
 *
 * It is read on every registration call (it is small), so an edit takes effect at once without a
 * restart. A missing file means nobody administers any site. DNs match as in the grid-mapfile
 * (case-insensitive, Email/E alike); the caller is the end entity of its proxy chain.
 */
import { accountsListedFor } from '../../gsi/index.ts';
import { mdsError } from '../errors.ts';

export type SiteAdminCheck = (dn: string, site: string) => Promise<void>;

/** Throws MDS_NOT_SITE_ADMIN unless `dn` is listed for `site` (or `*`) in the file at `path`. */
export function siteAdminsFile(path: string): SiteAdminCheck {
  return async (dn, site) => {
    const sites = await accountsListedFor(path, dn);
    if (sites === undefined) {
      throw mdsError('MDS_NOT_SITE_ADMIN', `"${dn}" is not an administrator of the site ${site}: the site-admins file ${path} does not exist`, { dn, site });
    }
    if (!sites.includes('*') && !sites.includes(site)) {
      throw mdsError('MDS_NOT_SITE_ADMIN', `"${dn}" is not an administrator of the site ${site}`, { dn, site });
    }
  };
}
