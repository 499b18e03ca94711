/** IndexService.getSite: one live site, or MDS_SITE_NOT_FOUND. */
import type { CallContext } from '../../common/call-context.ts';
import { mdsError } from '../errors.ts';
import type { IndexServiceDeps } from '../index-service-deps.ts';
import { checkSiteName } from '../registration/site-document.ts';
import { siteInfoOf, type SiteInfo } from '../registration/site-info.ts';

export interface GetSiteRequest {
  name?: unknown;
}

export function getSite(deps: IndexServiceDeps) {
  return async (request: GetSiteRequest, _context: CallContext): Promise<{ site: SiteInfo }> => {
    const name = checkSiteName(request.name);
    const live = await deps.store.get(name);
    if (!live) throw mdsError('MDS_SITE_NOT_FOUND', `the site ${name} is not registered (or its TTL passed)`, { site: name });
    return { site: siteInfoOf(live) };
  };
}
