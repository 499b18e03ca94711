/**
 * Local accounts, read from /etc/passwd and /etc/group the way getpwnam and getgrouplist read
 * them from files: no shell, no `id` command, nothing a job's owner wrote reaches either. Only
 * the files are read (not NSS modules such as LDAP or sssd): a site whose accounts live in a
 * directory service lists the mapped accounts in /etc/passwd too, or the agent reports them
 * unknown.
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

/** One line of /etc/group. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

/** An account as a job runs under it: its ids, its home, and every group it belongs to. */
export interface LocalAccount extends PasswdEntry {
  /** Supplementary group ids (the primary group first), as getgrouplist gives them. */
  readonly groups: readonly number[];
}

/** Where the account files are; tests point these at files of their own. */
export interface AccountFiles {
  readonly passwd: string;
  readonly group: string;
}

export const SYSTEM_ACCOUNT_FILES: AccountFiles = Object.freeze({ passwd: '/etc/passwd', group: '/etc/group' });

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

/** Parses /etc/group text (`name:password:gid:member,member`); malformed lines are skipped. */
export function parseGroup(text: string): readonly GroupEntry[] {
  const groups: GroupEntry[] = [];
  for (const line of accountLines(text)) {
    const fields = line.split(':');
    if (fields.length !== 4) continue;
    const [name = '', , gidText, memberText = ''] = fields;
    const gid = id(gidText);
    if (name === '' || gid === undefined) continue;
    groups.push({ name, gid, members: memberText.split(',').map((m) => m.trim()).filter(Boolean) });
  }
  return groups;
}

/** The account's group ids: its primary group, then every group listing it as a member. */
export function groupsOf(account: PasswdEntry, groups: readonly GroupEntry[]): number[] {
  const ids = [account.gid];
  for (const group of groups) {
    if (group.members.includes(account.name) && !ids.includes(group.gid)) ids.push(group.gid);
  }
  return ids;
}

/** Looks an account up by name in the account files; undefined when there is none. */
export async function findLocalAccount(name: string, files: AccountFiles = SYSTEM_ACCOUNT_FILES): Promise<LocalAccount | undefined> {
  if (!isAccountName(name)) return undefined;
  const entry = parsePasswd(await readFile(files.passwd, 'utf8')).get(name);
  if (!entry) return undefined;
  let groups: readonly GroupEntry[] = [];
  try {
    groups = parseGroup(await readFile(files.group, 'utf8'));
  } catch {
    // No group file: the primary group alone, as on a minimal container.
  }
  return { ...entry, groups: groupsOf(entry, groups) };
}
