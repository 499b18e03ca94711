/**
 * Reads the pass phrase of an encrypted private key, as grid-proxy-init does: the first line of
 * standard input with -pwstdin, otherwise a prompt on the terminal with echo off. The pass
 * phrase is returned to the caller and kept nowhere else.
 */
import type { CliEnvironment } from './cli-context.ts';
import { cliError } from './errors.ts';

/** The first line of a stream (without its line end), or all of it if it has no newline. */
function firstLine(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const done = (text: string) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', reject);
      stream.pause();
      resolve(text.replace(/\r?\n[\s\S]*$/, ''));
    };
    const onData = (chunk: Buffer | string) => {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.includes('\n')) done(text);
    };
    const onEnd = () => done(Buffer.concat(chunks).toString('utf8'));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', reject);
    stream.resume();
  });
}

/** Reads keystrokes in raw mode, echoing nothing, until Enter; Ctrl-C or Ctrl-D give up. */
function promptWithoutEcho(stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream, prompt: string) {
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') {
          return finish(cliError('CLI_USAGE', 'no pass phrase was typed, so no proxy was made'));
        }
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** The pass phrase, from stdin (-pwstdin) or the terminal; refuses when neither can give one. */
export async function readPassPhrase(
  environment: Pick<CliEnvironment, 'stdin' | 'stderr'>,
  fromStdin: boolean,
  prompt = 'Enter GRID pass phrase for this identity:',
): Promise<string> {
  if (fromStdin) return firstLine(environment.stdin);
  if (!environment.stdin.isTTY) {
    throw cliError(
      'CLI_USAGE',
      'the private key is encrypted and there is no terminal to ask for its pass phrase; give it on standard input with -pwstdin',
    );
  }
  return promptWithoutEcho(environment.stdin, environment.stderr, prompt);
}
