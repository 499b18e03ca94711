/** Reads the tail of a job's output file: the end of a long log is what people look at. */
import { open } from 'node:fs/promises';

export async function readTail(path: string, limitBytes: number): Promise<string> {
  const file = await open(path, 'r');
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
