/**
 * Reads what a job left in its working directory: the tail of its output files (the end of a
 * long log is what people look at), and the small files its LRMS writes. The agent may be root
 * and the files the job's account's, so a file is opened without following a link
 * (O_NOFOLLOW), without waiting on a FIFO (O_NONBLOCK), and read only when it is a regular file
 * owned by that account: a job cannot have the agent read /etc/shadow back to it.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

const READ_JOB_FILE = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Opens a job's file for reading: a regular file, owned by `ownerUid` when given. */
export async function openJobFile(path: string, ownerUid?: number): Promise<FileHandle> {
  const file = await open(path, READ_JOB_FILE);
  try {
    const info = await file.stat();
    if (!info.isFile()) throw new Error(`${path} is not a regular file`);
    if (ownerUid !== undefined && info.uid !== ownerUid) throw new Error(`${path} is not owned by the job's account (uid ${ownerUid})`);
    return file;
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** The last `limitBytes` of a job's file (see openJobFile for which files are read). */
export async function readTail(path: string, limitBytes: number, ownerUid?: number): Promise<string> {
  const file = await openJobFile(path, ownerUid);
  try {
    const { size } = await file.stat();
    const length = Math.min(size, limitBytes);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    return size > limitBytes ? `[… ${size - limitBytes} earlier bytes dropped …]\n${text}` : text;
  } finally {
    await file.close();
  }
}
