/**
 * The command line's only way to the terminal: results to stdout, progress and errors to
 * stderr. Progress is shown only when stderr is a terminal, so scripts get clean output.
 */
import { isGridError } from '../common/errors.ts';

export interface Output {
  result(text: string): void;
  /** Raw bytes of a job's own output, passed through unchanged. */
  passthrough(stream: 'stdout' | 'stderr', text: string): void;
  progress(text: string): void;
  error(error: unknown): void;
}

export function terminalOutput(stdout = process.stdout, stderr = process.stderr): Output {
  return {
    result: (text) => void stdout.write(`${text}\n`),
    passthrough: (stream, text) => void (stream === 'stdout' ? stdout : stderr).write(text),
    progress: (text) => {
      if (stderr.isTTY) stderr.write(`\r\x1b[2K${text}`);
    },
    error: (error) => {
      if (stderr.isTTY) stderr.write('\r\x1b[2K');
      if (isGridError(error)) {
        stderr.write(`weft: ${error.code}: ${error.message}.\n  ${error.hint}\n`);
      } else {
        stderr.write(`weft: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    },
  };
}
