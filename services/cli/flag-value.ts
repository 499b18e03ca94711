/** The value after a command-line flag (`args[index]`), or a usage error naming the flag. */
import { cliError } from './errors.ts';

export function flagValue(args: readonly string[], index: number, flag: string): string {
  const value = args[index];
  if (value === undefined) throw cliError('CLI_USAGE', `${flag} needs a value`);
  return value;
}
