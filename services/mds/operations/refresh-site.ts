/**
 * IndexService.refreshSite: keeps a live registration for another TTL (the one it was
 * registered with), optionally with the site's current running and waiting jobs. A site whose
 * TTL already passed is gone: it must be registered again.
 */
import type { CallContext } from '../../common/call-context.ts';
import { mdsError } from '../errors.ts';
import type { IndexServiceDeps } from '../index-service-deps.ts';
import { checkSiteName, documentOf, wholeNumber } from '../registration/site-document.ts';
import { siteInfoOf, type SiteInfo } from '../registration/site-info.ts';

export interface RefreshSiteRequest {
  name?: unknown;
  runningJobs?: unknown;
  waitingJobs?: unknown;
}

export function refreshSite(deps: IndexServiceDeps) {
  return async (request: RefreshSiteRequest, context: CallContext): Promise<{ site: SiteInfo }> => {
    const name = checkSiteName(request.name);
    const dynamic = {
      ...(request.runningJobs === undefined ? {} : { runningJobs: wholeNumber(request.runningJobs, 'runningJobs', 0, 10_000_000) }),
      ...(request.waitingJobs === undefined ? {} : { waitingJobs: wholeNumber(request.waitingJobs, 'waitingJobs', 0, 10_000_000) }),
    };
    await deps.checkSiteAdmin(context.identity, name);
    const live = await deps.store.get(name);
    if (!live) throw mdsError('MDS_SITE_NOT_FOUND', `the site ${name} is not registered (or its TTL passed)`, { site: name });
    const { record } = live.snapshot;
    await deps.store.publish({ ...record, ...dynamic, updatedAt: (deps.now?.() ?? new Date()).toISOString() });
    context.logger.info({ site: name }, 'site refreshed');
    // The parent gets the whole document again: a forward that failed before is repaired here.
    deps.parent?.registered(documentOf(record));
    const stored = await deps.store.get(name);
    if (!stored) throw mdsError('MDS_SITE_NOT_FOUND', `the site ${name} vanished while it was refreshed`, { site: name });
    return { site: siteInfoOf(stored) };
  };
}
