/**
 * Who a job runs as. Without a grid-mapfile, every authenticated owner runs as the agent's own
 * user (as before maps existed). With one, the owner's DN must be listed (Globus rules: the first
 * account of the line is the default) and the job runs as that account:
 * - an agent running as root switches to it (uid, gid) — if it exists and is not root (neither
 *   uid 0 nor primary gid 0);
 * - any other agent can only run jobs as itself: a map naming another account is refused,
 *   because it could not be honoured and running the job as the agent instead would be a lie.
 */
import { gsiError, lookupAccount, type GridMap } from '../../gsi/index.ts';
import { siteError } from '../errors.ts';
import type { LocalAccount } from '../accounts/local-accounts.ts';

/** The account a job runs as, as the LRMS needs it. */
export interface JobAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** True when the program must be started under `uid`/`gid` (the agent is root). */
  readonly switchUser: boolean;
}

/** The agent's own identity (process.getuid(), process.getgid() and its user name). */
export interface AgentIdentity {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
}

/**
 * The local account the map gives the job's owner. Throws GSI_NOT_AUTHORIZED — a fault of the
 * request, not of the site, so it does not count towards a site's quarantine — when the DN is
 * not listed.
 */
export function mappedAccount(map: GridMap, owner: string, site: string): string {
  const account = lookupAccount(map, owner);
  if (account === undefined) {
    throw gsiError(
      'GSI_NOT_AUTHORIZED',
      `the site ${site} does not admit "${owner}": the DN is not in its grid-mapfile; ask the site's administrator to add your DN to its grid-mapfile`,
      { dn: owner, site },
    );
  }
  return account;
}

/**
 * Decides how a job mapped to `account` runs, given who the agent is and what the account files
 * say about the account (`local`, undefined when it does not exist). Throws the SITE_ code that
 * says what the administrator must change.
 */
export function decideJobAccount(agent: AgentIdentity, account: string, local: LocalAccount | undefined, site: string): JobAccount {
  if (account === 'root' || local?.uid === 0) {
    throw siteError(
      'SITE_ACCOUNT_IS_ROOT',
      `the grid-mapfile of site ${site} maps the job's owner to "${account}", which is root; jobs never run as root`,
      { account, site },
    );
  }
  if (local?.gid === 0) {
    throw siteError(
      'SITE_ACCOUNT_IS_ROOT',
      `the grid-mapfile of site ${site} maps the job's owner to "${account}", whose primary group is root (gid 0); jobs never run with root's group`,
      { account, site },
    );
  }
  if (agent.uid !== 0) {
    if (account === agent.name) return { name: agent.name, uid: agent.uid, gid: agent.gid, switchUser: false };
    throw siteError(
      'SITE_CANNOT_SWITCH_ACCOUNT',
      `the site agent of ${site} runs as ${agent.name} and cannot switch to account ${account}; run the agent as root or map to ${agent.name}`,
      { account, agent: agent.name, site },
    );
  }
  if (!local) {
    throw siteError(
      'SITE_ACCOUNT_UNKNOWN',
      `the grid-mapfile of site ${site} maps the job's owner to "${account}", but there is no such local account`,
      { account, site },
    );
  }
  return { name: local.name, uid: local.uid, gid: local.gid, switchUser: true };
}
