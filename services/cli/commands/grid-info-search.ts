/**
 * `weft grid-info-search [-x] [-h HOST] [-p PORT] [-b BASE] [-s SCOPE] [-l LIMIT] [-T SECONDS]
 * [FILTER [ATTR…]]`: the GT2 MDS client. As in Globus it is a wrapper around `ldapsearch`
 * (OpenLDAP's, Debian ldap-utils), run with an argument vector; its LDIF and exit status are
 * passed through. Defaults as in GT2: host GRID_INFO_HOST or localhost, port GRID_INFO_PORT or
 * 2135, base GRID_INFO_BASE or Mds-Vo-name=local,o=grid, scope sub, filter (objectclass=*).
 */
import { spawn } from 'node:child_process';
import type { CliContext } from '../cli-context.ts';
import { cliError } from '../errors.ts';

const SCOPES = ['base', 'one', 'sub', 'children'];

/** The ldapsearch argument vector for grid-info-search's arguments. */
export function ldapsearchArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  let host = env.GRID_INFO_HOST ?? 'localhost';
  let port = env.GRID_INFO_PORT ?? '2135';
  let base = env.GRID_INFO_BASE ?? 'Mds-Vo-name=local,o=grid';
  let scope = 'sub';
  const limits: string[] = [];
  const rest: string[] = [];
  const value = (i: number, flag: string) => {
    const next = args[i + 1];
    if (next === undefined) throw cliError('CLI_USAGE', `${flag} needs a value`);
    return next;
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-x') continue; // anonymous: always
    else if (arg === '-h') host = value(i++, arg);
    else if (arg === '-p') port = value(i++, arg);
    else if (arg === '-b') base = value(i++, arg);
    else if (arg === '-s') scope = value(i++, arg);
    else if (arg === '-l' || arg === '-T') limits.push(arg === '-l' ? '-z' : '-l', value(i++, arg));
    else if (arg.startsWith('-') && rest.length === 0) throw cliError('CLI_USAGE', `grid-info-search has no option ${arg}`);
    else rest.push(arg);
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw cliError('CLI_USAGE', `-p ${port} is not a port number`);
  if (!SCOPES.includes(scope)) throw cliError('CLI_USAGE', `-s ${scope} is not a scope (base, one, sub)`);
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) throw cliError('CLI_USAGE', `-h ${host} is not a host name`);
  for (let i = 1; i < limits.length; i += 2) {
    if (!/^\d+$/.test(limits[i]!)) throw cliError('CLI_USAGE', `${limits[i]} is not a whole number`);
  }
  const [filter = '(objectclass=*)', ...attributes] = rest;
  return ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', `ldap://${host}:${port}`, '-b', base, '-s', scope, ...limits, '--', filter, ...attributes];
}

export async function gridInfoSearch(args: readonly string[], cli: CliContext): Promise<number> {
  const argv = ldapsearchArgs(args, cli.environment.env);
  return new Promise((resolve, reject) => {
    const child = spawn('ldapsearch', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (text: string) => cli.output.passthrough('stdout', text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => cli.output.passthrough('stderr', text));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? cliError('CLI_TOOL_MISSING', 'ldapsearch is not installed') : error),
    );
    child.once('close', (status) => resolve(status ?? 1));
  });
}
