/**
 * Who reads everyone's usage: a file in Globus grid-mapfile syntax (read on every call, so an
 * edit takes effect at once), one line per administrator, the "account" `*`:
 *
 *   "/O=Grid/OU=Weft/CN=Dev User" *
 *
 * Any DN listed is an accounting administrator (`*` is the convention, as in site-admins, and
 * what the dev PKI writes). A missing file means nobody is: every caller sees only their own
 * usage.
 */
import { accountsListedFor } from '../gsi/index.ts';

/** Whether a DN may read everyone's usage. */
export type AccountingAdminCheck = (dn: string) => Promise<boolean>;

export function accountingAdminsFile(path: string): AccountingAdminCheck {
  return async (dn) => ((await accountsListedFor(path, dn)) ?? []).length > 0;
}
