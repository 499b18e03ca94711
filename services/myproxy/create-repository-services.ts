/** The CredentialRepositoryService as the container hosts it (MyProxy-like; README.md). */
import type { HostedService } from '../common/call-context.ts';
import { destroy } from './operations/destroy.ts';
import { get } from './operations/get.ts';
import { info } from './operations/info.ts';
import { put } from './operations/put.ts';
import type { RepositoryDeps } from './repository-deps.ts';

export const CREDENTIAL_REPOSITORY_SERVICE = 'CredentialRepositoryService';

export function createRepositoryServices(deps: RepositoryDeps): HostedService[] {
  return [
    {
      name: CREDENTIAL_REPOSITORY_SERVICE,
      wsdlFile: `${CREDENTIAL_REPOSITORY_SERVICE}.wsdl`,
      operations: { put: put(deps), get: get(deps), info: info(deps), destroy: destroy(deps) },
    },
  ];
}
