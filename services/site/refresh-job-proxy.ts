/**
 * Keeps a running job's `x509up` current: while the job's program runs, the agent re-reads the
 * job's delegation every few seconds, and when its proxy was renewed (by the broker, from the
 * credential repository) or refreshed (by the owner) it rewrites the file — to a temporary file
 * first (0600), then renamed over the old one, so the job never reads half a proxy.
 *
 * The working directory may belong to the account the job runs as (authz/job-account.ts) while
 * the agent is root: so the temporary file has a fresh random name and is created exclusively
 * (O_EXCL|O_NOFOLLOW: a link the job planted is never followed), it is given to that account
 * through its open descriptor (never by path, which the job could swap meanwhile) before the rename,
 * and the rename replaces whatever the job left at `x509up` without following it.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import type { DelegatedCredential } from '../delegation/index.ts';
import { formatProxyFile } from '../gsi/index.ts';
import type { Logger } from '../common/logger.ts';
import { writeNewJobFile } from './job-files.ts';

/** How often a running job's delegation is looked at. */
export const PROXY_REFRESH_INTERVAL_MS = 2000;

export interface ProxyRefresher {
  stop(): Promise<void>;
}

export function keepJobProxyFresh(
  read: (delegationId: string) => Promise<DelegatedCredential>,
  delegationId: string,
  path: string,
  logger: Logger,
  /** The account the job runs as, when it is not the agent's own: the file is made its. */
  owner?: { readonly uid: number; readonly gid: number },
  intervalMs = PROXY_REFRESH_INTERVAL_MS,
): ProxyRefresher {
  // Unknown at first: the first look rewrites the file, in case a renewal came in between.
  let notAfter: Date | undefined;
  let warned = false;
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= (async () => {
      const credential = await read(delegationId);
      if (notAfter !== undefined && credential.notAfter.getTime() === notAfter.getTime()) return;
      const temporary = `${path}.${randomBytes(6).toString('hex')}.new`;
      try {
        await writeNewJobFile(temporary, formatProxyFile(credential), owner);
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      if (notAfter !== undefined) logger.info({ delegationId, notAfter: credential.notAfter.toISOString() }, 'job proxy file rewritten');
      notAfter = credential.notAfter;
    })()
      // Gone or expired: the job keeps the file it has; its end says the rest. Said once.
      .catch((error: unknown) => {
        if (!warned) logger.warn({ err: error, delegationId }, 'could not refresh the job proxy file');
        warned = true;
      })
      .finally(() => (running = undefined));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
