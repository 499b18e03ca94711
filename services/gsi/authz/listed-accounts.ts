/**
 * Lists of privileged DNs kept in Globus grid-mapfile syntax — who administers which site
 * (services/mds/registration/site-admins.ts), who reads everyone's usage
 * (services/accounting/accounting-admins.ts): `"<DN>" <what>[,<what>...]`. The file is read on
 * every call (it is small), so an edit takes effect at once without a restart; DNs match as in
 * the grid-mapfile (case-insensitive, Email/E alike). A bad line is an error naming its line.
 */
import { readFile } from 'node:fs/promises';
import { lookupAccounts, parseGridMapfile } from './grid-mapfile.ts';

/** What the file at `path` lists for `dn` ([] when nothing); undefined when there is no such file. */
export async function accountsListedFor(path: string, dn: string): Promise<readonly string[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return lookupAccounts(parseGridMapfile(text, path), dn);
}
