/** The DelegationService as the container hosts it. */
import type { HostedService } from '../common/call-context.ts';
import type { DelegationDeps } from './delegation-deps.ts';
import { destroyDelegation } from './operations/destroy-delegation.ts';
import { getTerminationTime } from './operations/get-termination-time.ts';
import { putDelegation } from './operations/put-delegation.ts';
import { refreshDelegation } from './operations/refresh-delegation.ts';
import { requestDelegation } from './operations/request-delegation.ts';
import { DELEGATION_SERVICE } from './reference.ts';

export function createDelegationServices(deps: DelegationDeps): HostedService[] {
  return [
    {
      name: DELEGATION_SERVICE,
      wsdlFile: `${DELEGATION_SERVICE}.wsdl`,
      operations: {
        requestDelegation: requestDelegation(deps),
        putDelegation: putDelegation(deps),
        refreshDelegation: refreshDelegation(deps),
        getTerminationTime: getTerminationTime(deps),
        destroyDelegation: destroyDelegation(deps),
      },
    },
  ];
}
