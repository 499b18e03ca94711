/**
 * The command line shared by globus-job-run and globus-job-submit, as GT users type it:
 *   CONTACT [-np N] [-env NAME=VALUE]… [-dir DIR] [-stdin FILE] [-maxtime MIN] [-q QUEUE]
 *           [-project VO] EXECUTABLE [ARGUMENT…]
 * and the RSL it becomes. Every value is quoted in the RSL (a quote inside is doubled), so no
 * argument is ever re-split or interpreted.
 */
import { cliError } from '../errors.ts';

export interface JobCommandLine {
  readonly contact: string;
  readonly rsl: string;
}

const VALUE_FLAGS: Record<string, string> = {
  '-np': 'count',
  '-count': 'count',
  '-dir': 'directory',
  '-stdin': 'stdin',
  '-maxtime': 'maxWallTime',
  '-q': 'queue',
  '-queue': 'queue',
  '-project': 'project',
};

export function quoteRsl(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

export function parseJobCommandLine(command: string, args: readonly string[]): JobCommandLine {
  const [contact, ...rest] = args;
  if (!contact) {
    throw cliError('CLI_USAGE', `${command} needs a resource contact, e.g. ${command} https://localhost:8443 /bin/hostname`);
  }
  const relations: string[] = [];
  const environment: string[] = [];
  let index = 0;
  while (index < rest.length && rest[index]!.startsWith('-')) {
    const flag = rest[index]!;
    const value = rest[index + 1];
    if (flag === '--') {
      index += 1;
      break;
    }
    if (value === undefined) throw cliError('CLI_USAGE', `${flag} needs a value`);
    if (flag === '-env') {
      const equals = value.indexOf('=');
      if (equals <= 0) throw cliError('CLI_USAGE', `-env takes NAME=VALUE, not "${value}"`);
      environment.push(`(${quoteRsl(value.slice(0, equals))} ${quoteRsl(value.slice(equals + 1))})`);
    } else if (VALUE_FLAGS[flag]) {
      relations.push(`(${VALUE_FLAGS[flag]}=${quoteRsl(value)})`);
    } else {
      throw cliError('CLI_USAGE', `${command} does not know the flag ${flag}`);
    }
    index += 2;
  }
  const [executable, ...programArgs] = rest.slice(index);
  if (!executable) {
    throw cliError('CLI_USAGE', `${command} needs the program to run, e.g. ${command} ${contact} /bin/hostname`);
  }
  const rsl = [
    '&',
    `(executable=${quoteRsl(executable)})`,
    programArgs.length > 0 ? `(arguments=${programArgs.map(quoteRsl).join(' ')})` : '',
    environment.length > 0 ? `(environment=${environment.join('')})` : '',
    ...relations,
  ].join('');
  return { contact, rsl };
}
