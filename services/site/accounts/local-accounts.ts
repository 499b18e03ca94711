/**
 * Local accounts, read from /etc/passwd the way getpwnam reads it from the file: no shell, no
 * `id` command, nothing a job's owner wrote reaches it. Only the file is read (not NSS modules
 * such as LDAP or sssd): a site whose accounts live in a directory service lists the mapped
 * accounts in /etc/passwd too, or the agent reports them unknown. Supplementary groups are not
 * looked up: no LRMS applies them (the site README, "Who a job runs as").
 */
import { readFile } from 'node:fs/promises';

/** One line of /etc/passwd. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
}

/** An account as a job runs under it: its ids (uid, primary gid) and its home. */
export type LocalAccount = PasswdEntry;

/** Where the account files are; tests point these at files of their own. */
export interface AccountFiles {
  readonly passwd: string;
}

export const SYSTEM_ACCOUNT_FILES: AccountFiles = Object.freeze({ passwd: '/etc/passwd' });

/** A POSIX-portable account name, as useradd accepts it (a trailing `$` for Samba machines). */
const ACCOUNT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

export function isAccountName(name: string): boolean {
  return ACCOUNT_NAME.test(name);
}

function id(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= 0xffff_fffe ? value : undefined;
}

/** Lines that are blank, comments, or NIS `+`/`-` markers carry no account. */
function accountLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '' && !/^[#+-]/.test(line));
}

/**
 * Parses /etc/passwd text (`name:password:uid:gid:gecos:home:shell`). A malformed line is
 * skipped, as getpwent skips it; the first line for a name wins, as getpwnam finds it.
 */
export function parsePasswd(text: string): ReadonlyMap<string, PasswdEntry> {
  const entries = new Map<string, PasswdEntry>();
  for (const line of accountLines(text)) {
    const fields = line.split(':');
    if (fields.length !== 7) continue;
    const [name = '', , uidText, gidText, , home = '', shell = ''] = fields;
    const uid = id(uidText);
    const gid = id(gidText);
    if (name === '' || uid === undefined || gid === undefined || entries.has(name)) continue;
    entries.set(name, { name, uid, gid, home, shell });
  }
  return entries;
}

/** Looks an account up by name in the account files; undefined when there is none. */
export async function findLocalAccount(name: string, files: AccountFiles = SYSTEM_ACCOUNT_FILES): Promise<LocalAccount | undefined> {
  if (!isAccountName(name)) return undefined;
  return parsePasswd(await readFile(files.passwd, 'utf8')).get(name);
}
