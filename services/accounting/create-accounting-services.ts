/** The AccountingService as the container hosts it: usage, each caller their own (README.md). */
import type { HostedService } from '../common/call-context.ts';
import type { AccountingDeps } from './accounting-deps.ts';
import { getUsage } from './operations/get-usage.ts';
import { listUsageRecords } from './operations/list-usage-records.ts';

export const ACCOUNTING_SERVICE = 'AccountingService';

export function createAccountingServices(deps: AccountingDeps): HostedService[] {
  return [
    {
      name: ACCOUNTING_SERVICE,
      wsdlFile: `${ACCOUNTING_SERVICE}.wsdl`,
      operations: { getUsage: getUsage(deps), listUsageRecords: listUsageRecords(deps) },
    },
  ];
}
