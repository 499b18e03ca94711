/**
 * Writes a file so that readers see either the old content or the new, never a torn file, and
 * so that a private key is never readable by others, even for a moment: the temporary file is
 * created with its final mode (O_EXCL, beside the target so rename stays on one file system).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Atomically replaces `path` with `data`, mode `mode` (e.g. 0o600 for keys, 0o644 for certs). */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  mode: number,
): Promise<void> {
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      // The umask can only have removed bits; chmod makes the mode exactly what was asked.
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
