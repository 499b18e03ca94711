/**
 * IndexService.registerSite: a site administrator publishes (or replaces) a site's record with
 * its TTL. The document is checked whole before anything is written, then the caller must
 * administer the named site; the record goes into the same soft-state hash site agents publish,
 * so the index (LDAP) shows it and brokers may match it while it lives.
 */
import type { CallContext } from '../../common/call-context.ts';
import { mdsError } from '../errors.ts';
import type { IndexServiceDeps } from '../index-service-deps.ts';
import { recordOf, validateSiteDocument } from '../registration/site-document.ts';
import { siteInfoOf, type SiteInfo } from '../registration/site-info.ts';

export interface RegisterSiteRequest {
  site?: unknown;
}

export function registerSite(deps: IndexServiceDeps) {
  return async (request: RegisterSiteRequest, context: CallContext): Promise<{ site: SiteInfo }> => {
    const document = validateSiteDocument(request.site);
    await deps.checkSiteAdmin(context.identity, document.name);
    await deps.store.publish(recordOf(document, deps.now?.() ?? new Date()));
    context.logger.info({ site: document.name, ttlSeconds: document.ttlSeconds }, 'site registered');
    deps.parent?.registered(document);
    const stored = await deps.store.get(document.name);
    if (!stored) throw mdsError('MDS_SITE_NOT_FOUND', `the site ${document.name} vanished right after it was registered`, { site: document.name });
    return { site: siteInfoOf(stored) };
  };
}
