/**
 * The agent's own side of running jobs as mapped accounts: who the agent is, and a work root that
 * the mapped accounts can reach. Each job directory is 0700 and its account's own; the work root
 * above them is 0711 (anyone may pass through, nobody else may list it), and every directory
 * above that must let others pass too, or a job could not open its own files by their full path
 * (X509_USER_PROXY).
 */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from '../../common/logger.ts';
import type { AgentIdentity } from './job-account.ts';

export function agentIdentity(): AgentIdentity {
  const uid = process.getuid?.() ?? -1;
  const gid = process.getgid?.() ?? -1;
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = String(uid); // a uid without a passwd entry (some containers)
  }
  return { uid, gid, name };
}

/** Makes the work root 0711 and warns about each directory above it that others cannot pass. */
export async function prepareWorkRoot(workRoot: string, logger: Logger): Promise<void> {
  await mkdir(workRoot, { recursive: true, mode: 0o711 });
  await chmod(workRoot, 0o711);
  const closed: string[] = [];
  for (let dir = dirname(workRoot); ; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) closed.push(dir);
    if (dirname(dir) === dir) break;
  }
  if (closed.length > 0) {
    logger.warn(
      { workRoot, closed },
      `mapped accounts cannot pass through ${closed.join(', ')} to reach their job directories under ${workRoot}; give those directories o+x or choose another WEFT_SITE_WORK_DIR`,
    );
  }
}
