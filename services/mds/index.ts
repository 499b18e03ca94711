/** The index's (MDS) public surface. */
export { createIndexService, INDEXED_ATTRIBUTES, type IndexService, type IndexServiceDeps } from './create-index-service.ts';
export { MDS_KNOBS, INDEX_SERVICE_KNOBS } from './config.ts';
export { mdsError, type MdsErrorCode } from './errors.ts';
export { createIndexServices, INDEX_SERVICE } from './create-index-services.ts';
export type { IndexServiceDeps as IndexSoapDeps } from './index-service-deps.ts';
export { createParentIndex, type ParentIndex, type ParentIndexOptions } from './registration/parent-index.ts';
export { siteAdminsFile, type SiteAdminCheck } from './registration/site-admins.ts';
export { createRedisRegistrationStore, type RegistrationStore } from './registration/site-store.ts';
export type { SiteInfo } from './registration/site-info.ts';
export {
  DEFAULT_TTL_SECONDS,
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  SITE_DOCUMENT_FIELDS,
  soapSiteDocument,
  validateSiteDocument,
  type SiteDocument,
} from './registration/site-document.ts';
