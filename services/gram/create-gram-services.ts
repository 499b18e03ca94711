/** The GRAM SOAP services as the container hosts them. */
import type { HostedService } from '../common/call-context.ts';
import type { GramDeps } from './gram-deps.ts';
import { FACTORY_SERVICE, JOB_SERVICE } from './job-endpoint.ts';
import { createManagedJob } from './operations/create-managed-job.ts';
import { analyze } from './operations/analyze.ts';
import { cancel } from './operations/cancel.ts';
import { getStatus } from './operations/get-status.ts';

export function createGramServices(deps: GramDeps): HostedService[] {
  return [
    {
      name: FACTORY_SERVICE,
      wsdlFile: `${FACTORY_SERVICE}.wsdl`,
      operations: { createManagedJob: createManagedJob(deps) },
    },
    {
      name: JOB_SERVICE,
      wsdlFile: `${JOB_SERVICE}.wsdl`,
      operations: { getStatus: getStatus(deps), cancel: cancel(deps), analyze: analyze(deps) },
    },
  ];
}
