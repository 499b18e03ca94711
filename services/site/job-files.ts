/**
 * Files the agent makes in a job's working directory for the account the job runs as. The
 * agent may be root and the directory may belong to that account, so a name there may be a
 * link the account planted: each file is created exclusively (O_EXCL), never through a link
 * (O_NOFOLLOW), and given away through its open descriptor (fchown), never by path.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** O_CREAT|O_EXCL|O_NOFOLLOW, write-only: a new file, or an error (EEXIST, ELOOP). */
export const CREATE_NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Creates `path` (mode 0600) as a new file, owned by `owner` when given. Returns the open file;
 * the caller writes and closes it.
 */
export async function createJobFile(path: string, owner?: { readonly uid: number; readonly gid: number }): Promise<FileHandle> {
  const file = await open(path, CREATE_NEW_FILE, 0o600);
  try {
    if (owner) await file.chown(owner.uid, owner.gid);
    return file;
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** Creates `path` as a new file holding `content`, owned by `owner` when given. */
export async function writeNewJobFile(path: string, content: string, owner?: { readonly uid: number; readonly gid: number }): Promise<void> {
  const file = await createJobFile(path, owner);
  try {
    await file.writeFile(content);
  } finally {
    await file.close();
  }
}
