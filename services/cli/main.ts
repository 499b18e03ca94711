/**
 * `weft <command> …`: one command whose subcommands keep the names and flags grid users know.
 * Exit status: the job's own exit code for globus-job-run; otherwise 0 on success, 1 when the
 * grid refused or failed, 2 for a usage error.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isGridError } from '../common/errors.ts';
import { REPO_ROOT } from '../common/grid-config.ts';
import type { CliContext } from './cli-context.ts';
import type { ClientCredentials } from './gram-client.ts';
import { cliError } from './errors.ts';
import { terminalOutput } from './output.ts';

type Command = (args: readonly string[], cli: CliContext) => Promise<number>;

// Commands are imported when called: `weft help` or `grid-proxy-info` need not load the SOAP
// stack, which is most of a cold start.

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  'globus-job-run': {
    run: async (args, cli) => (await import('./commands/globus-job-run.ts')).globusJobRun(args, cli),
    usage: 'CONTACT [-delegate|-D] [-renew-from MYPROXY_NAME] [-np N] [-env NAME=VALUE] [-dir DIR] [-maxtime MIN] [-q QUEUE] EXECUTABLE [ARG…]',
  },
  'globus-job-submit': {
    run: async (args, cli) => (await import('./commands/globus-job-submit.ts')).globusJobSubmit(args, cli),
    usage: 'CONTACT [-delegate|-D] [-renew-from MYPROXY_NAME] [-np N] [-env NAME=VALUE] [-dir DIR] [-maxtime MIN] [-q QUEUE] EXECUTABLE [ARG…]',
  },
  'delegation-refresh': { run: async (args, cli) => (await import('./commands/delegation-refresh.ts')).delegationRefresh(args, cli), usage: 'DELEGATION_EPR [-hours H] [-renew-from MYPROXY_NAME]' },
  'delegation-destroy': { run: async (args, cli) => (await import('./commands/delegation-destroy.ts')).delegationDestroy(args, cli), usage: 'DELEGATION_EPR' },
  'globus-job-status': { run: async (args, cli) => (await import('./commands/globus-job-status.ts')).globusJobStatus(args, cli), usage: '[--json] JOB_CONTACT' },
  'globus-job-get-output': { run: async (args, cli) => (await import('./commands/globus-job-get-output.ts')).globusJobGetOutput(args, cli), usage: 'JOB_CONTACT' },
  'globus-job-cancel': { run: async (args, cli) => (await import('./commands/globus-job-cancel.ts')).globusJobCancel(args, cli), usage: '[-f] [-q] JOB_CONTACT' },
  job: { run: async (args, cli) => (await import('./commands/job.ts')).job(args, cli), usage: 'analyze [--json] JOB_CONTACT' },
  site: {
    run: async (args, cli) => (await import('./commands/site.ts')).site(args, cli),
    usage: '(register FILE | refresh NAME | unregister NAME | list [FILTER] | show NAME) [-r CONTACT]',
  },
  'grid-info-search': {
    run: async (args, cli) => (await import('./commands/grid-info-search.ts')).gridInfoSearch(args, cli),
    usage: '[-x] [-h HOST] [-p PORT] [-b BASE] [-s SCOPE] [-l LIMIT] [-T SECONDS] [FILTER [ATTR…]]',
  },
  globusrun: {
    run: async (args, cli) => (await import('./commands/globusrun.ts')).globusrun(args, cli),
    usage: '[-b] [-q] [-o] -r CONTACT (-f FILE | RSL)  |  -status JOB_CONTACT  |  -k JOB_CONTACT  |  -p (-f FILE | RSL)',
  },
  'grid-proxy-init': {
    run: async (args, cli) => (await import('./commands/grid-proxy-init.ts')).gridProxyInit(args, cli),
    usage:
      '[-hours H | -valid H:M] [-bits B] [-limited | -independent] [-path-length N] [-rfc] [-pwstdin] [-q] [-cert FILE] [-key FILE] [-out FILE]',
  },
  'grid-proxy-info': {
    run: async (args, cli) => (await import('./commands/grid-proxy-info.ts')).gridProxyInfo(args, cli),
    usage:
      '[-f FILE] [-subject] [-issuer] [-identity] [-type] [-timeleft] [-strength] [-path] [-all] [-exists [-valid H:M | -hours H] [-bits B]]',
  },
  accounting: {
    run: async (args, cli) => (await import('./commands/accounting.ts')).accounting(args, cli),
    usage: '[--by user|vo|site] [--from TIME] [--to TIME] [--records [N]] [--json] [-r CONTACT]',
  },
  'myproxy-init': { run: async (args, cli) => (await import('./commands/myproxy.ts')).myproxyInit(args, cli), usage: '[-s CONTACT] [-l USERNAME] [-c HOURS] [-t HOURS] [-S] [-R RENEWER_DN]' },
  'myproxy-logon': { run: async (args, cli) => (await import('./commands/myproxy.ts')).myproxyLogon(args, cli), usage: '[-s CONTACT] [-l USERNAME] [-t HOURS] [-o FILE] [-S]' },
  'myproxy-info': { run: async (args, cli) => (await import('./commands/myproxy.ts')).myproxyInfo(args, cli), usage: '[-s CONTACT] [-l USERNAME]' },
  'myproxy-destroy': { run: async (args, cli) => (await import('./commands/myproxy.ts')).myproxyDestroy(args, cli), usage: '[-s CONTACT] [-l USERNAME] [-S]' },
  'grid-cert-request': {
    run: async (args, cli) => (await import('./commands/grid-cert-request.ts')).gridCertRequest(args, cli),
    usage: '-cn NAME [-dir DIR] [-bits N] [-nopw | -pwstdin] [-force]',
  },
  'grid-ca-sign': {
    run: async (args, cli) => (await import('./commands/grid-ca-sign.ts')).gridCaSign(args, cli),
    usage: '-in REQUEST -out CERT [-days N] [-dir CA_DIR]',
  },
  'grid-proxy-destroy': { run: async (args, cli) => (await import('./commands/grid-proxy-destroy.ts')).gridProxyDestroy(args, cli), usage: '[-dryrun] [-default] [--] [FILE…]' },
};

function help(): string {
  return [
    'usage: weft <command> [arguments]',
    '',
    ...Object.entries(COMMANDS).map(([name, command]) => `  weft ${name} ${command.usage}`),
    '',
    'CONTACT is a container, e.g. https://localhost:8443; JOB_CONTACT is what globus-job-submit printed.',
    'Credentials are found where Globus tools look: X509_USER_CERT/X509_USER_KEY, X509_USER_PROXY,',
    '/tmp/x509up_u<uid>, ~/.globus/usercert.pem; trusted CAs in X509_CERT_DIR. Without any, the',
    "dev user's certificate under certs/ is used.",
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const output = terminalOutput();
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    output.result(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  let credentials: Promise<ClientCredentials> | undefined;
  const environment = {
    env: process.env,
    homeDir: homedir(),
    uid: process.getuid?.() ?? 0,
    devCertsDir: process.env.WEFT_CERTS_DIR ?? join(REPO_ROOT, 'certs'),
    stdin: process.stdin,
    stderr: process.stderr,
  };
  const cli: CliContext = {
    output,
    environment,
    credentials: () =>
      (credentials ??= import('./load-credentials.ts').then((module) => module.loadClientCredentials(environment))),
  };
  try {
    if (!command) throw cliError('CLI_USAGE', `there is no command called ${name}`);
    return await command.run(args, cli);
  } catch (error) {
    output.error(error);
    return isGridError(error, 'CLI_USAGE') ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
