/** Accounting over SOAP (the AccountingService): the public surface other services import. */
export { ACCOUNTING_KNOBS } from './config.ts';
export { ACCOUNTING_SERVICE, createAccountingServices } from './create-accounting-services.ts';
export { accountingAdminsFile, type AccountingAdminCheck } from './accounting-admins.ts';
export { createRedisUsageReader, type AccountingDeps, type UsageReader } from './accounting-deps.ts';
export { accountingError, type AccountingErrorCode } from './errors.ts';
export { DEFAULT_RECORDS, GROUPINGS, MAX_RECORDS } from './usage-request.ts';
export type { GetUsageResponse } from './operations/get-usage.ts';
