/**
 * `weft grid-proxy-info [options]`: what GCT's grid-proxy-info says about a proxy, in its
 * words and formats, so scripts written against it keep working:
 *   - print options (-subject/-s, -issuer/-i, -identity, -type, -timeleft, -strength, -path,
 *     -all) print one line each, in the order given; with none, the -all block;
 *   - `-exists [-valid H:M | -hours H] [-bits B]` prints nothing of its own and exits 0 when
 *     the proxy is there, has at least that much time left and at least B bits, 1 otherwise
 *     (H = B = 0 when not given: "exists and has not expired");
 *   - -timeleft prints seconds, -1 once expired.
 * The proxy is -f/-file FILE, else X509_USER_PROXY, else /tmp/x509up_u<uid>. Nothing is
 * validated against CAs here (GCT does not either): this describes the file.
 * Beyond GCT: a proxy with less than an hour and less than a fifth of its lifetime left (or
 * expired) gets a `weft: warning:` line on stderr — stdout and the exit codes stay GCT's; with
 * -exists, a quiet test, no warning is printed.
 */
import {
  defaultProxyPath,
  describeProxy,
  readProxyFile,
  type ProxyDescription,
} from '../../gsi/index.ts';
import type { CliContext } from '../cli-context.ts';
import { cliError } from '../errors.ts';
import { formatTimeLeft, parseValid, parseWholeNumber, shortProxyWarning } from './proxy-time.ts';

type Field = (d: ProxyDescription, path: string) => string;

function allBlock(d: ProxyDescription, path: string): string {
  return [
    `subject  : ${d.subject}`,
    `issuer   : ${d.issuer}`,
    `identity : ${d.identity}`,
    `type     : ${d.type}`,
    `strength : ${d.strength} bits`,
    `path     : ${path}`,
    `timeleft : ${formatTimeLeft(d.timeLeftSeconds)}`,
  ].join('\n');
}

const FIELDS: Readonly<Record<string, Field>> = {
  '-subject': (d) => d.subject,
  '-s': (d) => d.subject,
  '-issuer': (d) => d.issuer,
  '-i': (d) => d.issuer,
  '-identity': (d) => d.identity,
  '-type': (d) => d.type,
  '-timeleft': (d) => String(d.timeLeftSeconds >= 0 ? d.timeLeftSeconds : -1),
  '-strength': (d) => String(d.strength),
  '-path': (_d, path) => path,
  '-all': allBlock,
};

const USAGE = [
  'usage: weft grid-proxy-info [-f FILE] [print options] [-exists [-valid H:M | -hours H] [-bits B]]',
  '  print options: -subject (-s), -issuer (-i), -identity, -type, -timeleft (seconds), -strength, -path, -all',
  '  -exists (-e): exit 0 if a proxy exists with at least the time (-valid H:M, -hours H) and bits (-bits B) asked, 1 otherwise',
].join('\n');

export async function gridProxyInfo(args: readonly string[], cli: CliContext): Promise<number> {
  let file: string | undefined;
  let exists = false;
  let validMinutes: number | undefined;
  let bits = 0;
  const prints: Field[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i]!;
    const field = FIELDS[flag];
    const suboption = () => {
      if (!exists) {
        throw cliError('CLI_USAGE', `${flag} is a suboption to -exists: put it after -exists`);
      }
    };
    if (field) {
      prints.push(field);
    } else if (flag === '-f' || flag === '-file') {
      file = args[++i];
      if (!file) throw cliError('CLI_USAGE', `${flag} needs a file name`);
    } else if (flag === '-e' || flag === '-exists') {
      exists = true;
    } else if (flag === '-v' || flag === '-valid') {
      suboption();
      if (validMinutes !== undefined) throw cliError('CLI_USAGE', 'give -valid or -hours once');
      validMinutes = parseValid(flag, args[++i]);
    } else if (flag === '-h' || flag === '-hours') {
      suboption();
      if (validMinutes !== undefined) throw cliError('CLI_USAGE', 'give -valid or -hours once');
      validMinutes = parseWholeNumber(flag, args[++i]) * 60;
    } else if (flag === '-b' || flag === '-bits') {
      suboption();
      bits = parseWholeNumber(flag, args[++i]);
    } else if (flag === '-help' || flag === '-usage') {
      cli.output.result(USAGE);
      return 0;
    } else {
      throw cliError('CLI_USAGE', `grid-proxy-info does not know the option ${flag}`);
    }
  }
  const { environment } = cli;
  const path = file ?? defaultProxyPath(environment.env, environment.uid);
  const proxy = await readProxyFile(path, environment.uid);
  const description = describeProxy(proxy.certs);
  for (const print of prints) cli.output.result(print(description, path));
  if (prints.length === 0 && !exists) cli.output.result(allBlock(description, path));
  if (!exists) {
    const lifetime = (description.notAfter.getTime() - new Date(proxy.certs[0]!.validFrom).getTime()) / 1000;
    const warning = shortProxyWarning(description.timeLeftSeconds, lifetime);
    if (warning) cli.output.passthrough('stderr', `weft: warning: ${warning}\n`);
    return 0;
  }
  const enoughTime = description.timeLeftSeconds >= (validMinutes ?? 0) * 60;
  return enoughTime && description.strength >= bits ? 0 : 1;
}
