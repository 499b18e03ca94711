/** The AccountingService's faults, one table (services/accounting/README.md). */
import { errorTable } from '../common/errors.ts';

export const accountingError = errorTable({
  ACCOUNTING_BAD_TIME: {
    side: 'client',
    retryable: false,
    hint: 'Give from and to as ISO 8601 times with a zone, e.g. 2026-11-23T06:00:00Z (weft accounting --from/--to take the same).',
  },
  ACCOUNTING_BAD_RANGE: {
    side: 'client',
    retryable: false,
    hint: 'Give a from that is not after to (the window is inclusive at both ends).',
  },
  ACCOUNTING_BAD_GROUP_BY: {
    side: 'client',
    retryable: false,
    hint: 'Group by user, vo or site.',
  },
  ACCOUNTING_BAD_LIMIT: {
    side: 'client',
    retryable: false,
    hint: 'Ask for 1 to 1000 records; narrow the window with from and to to see older ones.',
  },
});

export type AccountingErrorCode = keyof typeof accountingError.table;
