/**
 * IndexService.unregisterSite: removes a site's record at once (the index drops its entries on
 * the change event; brokers stop matching it). Unregistering a site that is not there is not an
 * error: the answer says nothing was removed.
 */
import type { CallContext } from '../../common/call-context.ts';
import type { IndexServiceDeps } from '../index-service-deps.ts';
import { checkSiteName } from '../registration/site-document.ts';

export interface UnregisterSiteRequest {
  name?: unknown;
}

export function unregisterSite(deps: IndexServiceDeps) {
  return async (request: UnregisterSiteRequest, context: CallContext): Promise<{ name: string; removed: boolean }> => {
    const name = checkSiteName(request.name);
    await deps.checkSiteAdmin(context.identity, name);
    const removed = await deps.store.remove(name);
    context.logger.info({ site: name, removed }, 'site unregistered');
    deps.parent?.unregistered(name);
    return { name, removed };
  };
}
