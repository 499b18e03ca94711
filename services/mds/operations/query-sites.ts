/**
 * IndexService.querySites: the live sites whose Mds-Host-hn entry matches an LDAP filter
 * (registration/site-query.ts), sorted by name, at most MAX_QUERY_RESULTS. Any authenticated
 * caller may query, as anyone may read the index over LDAP.
 */
import type { CallContext } from '../../common/call-context.ts';
import type { IndexServiceDeps } from '../index-service-deps.ts';
import { siteInfoOf, type SiteInfo } from '../registration/site-info.ts';
import { compileSiteQuery } from '../registration/site-query.ts';
import { mdsEntries } from '../views/mds-view.ts';

export const MAX_QUERY_RESULTS = 10_000;

export interface QuerySitesRequest {
  filter?: unknown;
}

export function querySites(deps: IndexServiceDeps) {
  return async (request: QuerySitesRequest, _context: CallContext): Promise<{ site: SiteInfo[] }> => {
    const matches = compileSiteQuery(request.filter);
    const live = await deps.store.list();
    const found = live
      .filter((site) => {
        const host = mdsEntries(site.snapshot)[0];
        return host !== undefined && matches(host);
      })
      .sort((a, b) => a.snapshot.record.name.localeCompare(b.snapshot.record.name))
      .slice(0, MAX_QUERY_RESULTS);
    return { site: found.map(siteInfoOf) };
  };
}
