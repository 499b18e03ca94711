/** The AccountingService's knobs. */
import type { KnobTable } from '../common/config.ts';

export const ACCOUNTING_KNOBS = {
  admins: {
    env: 'WEFT_ACCOUNTING_ADMINS',
    type: 'string',
    default: '',
    description: 'Who reads everyone\'s usage: grid-mapfile syntax, "<DN>" *; empty: $WEFT_CERTS_DIR/grid-security/accounting-admins.',
  },
} as const satisfies KnobTable;
