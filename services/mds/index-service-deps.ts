/** What the IndexService's operations need from the outside world. */
import type { ParentIndex } from './registration/parent-index.ts';
import type { SiteAdminCheck } from './registration/site-admins.ts';
import type { RegistrationStore } from './registration/site-store.ts';

export interface IndexServiceDeps {
  readonly store: RegistrationStore;
  /** Throws MDS_NOT_SITE_ADMIN unless the DN administers the site. */
  readonly checkSiteAdmin: SiteAdminCheck;
  /** Where registrations are forwarded (WEFT_MDS_PARENT); absent: nowhere. */
  readonly parent?: ParentIndex;
  readonly now?: () => Date;
}
