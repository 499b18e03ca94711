/**
 * The IndexService (the SOAP face of the index) as the container hosts it: registration by site
 * administrators, queries by anyone with a grid certificate. The LDAP side is
 * create-index-service.ts; both meet in Redis.
 */
import type { HostedService } from '../common/call-context.ts';
import type { IndexServiceDeps } from './index-service-deps.ts';
import { getSite } from './operations/get-site.ts';
import { querySites } from './operations/query-sites.ts';
import { refreshSite } from './operations/refresh-site.ts';
import { registerSite } from './operations/register-site.ts';
import { unregisterSite } from './operations/unregister-site.ts';

export const INDEX_SERVICE = 'IndexService';

export function createIndexServices(deps: IndexServiceDeps): HostedService[] {
  return [
    {
      name: INDEX_SERVICE,
      wsdlFile: `${INDEX_SERVICE}.wsdl`,
      operations: {
        registerSite: registerSite(deps),
        refreshSite: refreshSite(deps),
        unregisterSite: unregisterSite(deps),
        querySites: querySites(deps),
        getSite: getSite(deps),
      },
    },
  ];
}
