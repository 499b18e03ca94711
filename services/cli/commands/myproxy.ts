/**
 * `weft myproxy-init | myproxy-logon | myproxy-info | myproxy-destroy`: the credential
 * repository (CredentialRepositoryService, services/myproxy/README.md), with GCT myproxy's
 * flags where they exist:
 *   -s CONTACT   the container (default: MYPROXY_SERVER, else https://localhost:8443)
 *   -l USERNAME  the name the credential is stored under (default: LOGNAME/USER)
 *   -c HOURS     myproxy-init: lifetime of the credential stored (default 168)
 *   -t HOURS     myproxy-init: longest proxy retrieved from it (default 12);
 *                myproxy-logon: lifetime of the proxy retrieved (default 12)
 *   -o FILE      myproxy-logon: where to write it (default: X509_USER_PROXY, /tmp/x509up_u<uid>)
 *   -S           read the pass phrase from the first line of standard input (-stdin_pass too)
 *   -R DN        myproxy-init: store for renewal by the service DN (--renewable_by too): no pass
 *                phrase; the grid's services renew jobs' delegated proxies from it
 * The calls go with the user's credentials (or any certificate the container trusts, such as a
 * host certificate, for myproxy-logon). An encrypted user key is unlocked at a terminal prompt.
 */
import { X509Certificate, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import {
  createProxy,
  defaultProxyPath,
  describeProxy,
  findUserCertificate,
  unlockPrivateKey,
  writeProxyFile,
} from '../../gsi/index.ts';
import type { CliContext } from '../cli-context.ts';
import { parseResourceContact } from '../contact.ts';
import { cliError } from '../errors.ts';
import { flagValue } from '../flag-value.ts';
import { readPassPhrase } from '../read-pass-phrase.ts';
import { credentialInfo, destroyCredential, getCredential, putCredential, repositoryServiceUrl } from '../repository-client.ts';
import { asctime, parseWholeNumber } from './proxy-time.ts';

interface MyproxyOptions {
  contact: string | undefined;
  username: string | undefined;
  credentialHours: number;
  proxyHours: number;
  outFile: string | undefined;
  stdinPass: boolean;
  renewer: string | undefined;
}

function parse(command: string, args: readonly string[], allowed: string): MyproxyOptions {
  const options: MyproxyOptions = { contact: undefined, username: undefined, credentialHours: 168, proxyHours: 12, outFile: undefined, stdinPass: false, renewer: undefined };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i]!;
    const value = () => flagValue(args, (i += 1), flag);
    const letter =
      flag === '-stdin_pass' || flag === '--stdin_pass' ? 'S' : flag === '--renewable_by' ? 'R' : /^-[a-zA-Z]$/.test(flag) ? flag[1]! : '';
    if (!letter || !allowed.includes(letter)) throw cliError('CLI_USAGE', `${command} does not know the option ${flag}`);
    switch (letter) {
      case 's':
        options.contact = value();
        break;
      case 'l':
        options.username = value();
        break;
      case 'c':
        options.credentialHours = parseWholeNumber(flag, value(), 1);
        break;
      case 't':
        options.proxyHours = parseWholeNumber(flag, value(), 1);
        break;
      case 'o':
        options.outFile = value();
        break;
      case 'S':
        options.stdinPass = true;
        break;
      case 'R':
        options.renewer = value();
        break;
    }
  }
  return options;
}

function serviceUrl(options: MyproxyOptions, cli: CliContext): string {
  const contact = options.contact ?? cli.environment.env['MYPROXY_SERVER'] ?? 'https://localhost:8443';
  return repositoryServiceUrl(parseResourceContact(contact).baseUrl);
}

function username(options: MyproxyOptions, cli: CliContext): string {
  const name = options.username ?? cli.environment.env['LOGNAME'] ?? cli.environment.env['USER'];
  if (!name) throw cliError('CLI_USAGE', 'give the user name with -l USERNAME (LOGNAME and USER are not set)');
  return name;
}

async function passPhrase(cli: CliContext, options: MyproxyOptions, prompt: string, confirm: boolean): Promise<string> {
  const { environment } = cli;
  if (!options.stdinPass && !environment.stdin.isTTY) {
    throw cliError('CLI_USAGE', 'there is no terminal to ask for the MyProxy pass phrase; give it on standard input with -S');
  }
  const first = await readPassPhrase(environment, options.stdinPass, prompt);
  if (confirm && !options.stdinPass) {
    const again = await readPassPhrase(environment, false, 'Verifying - Enter MyProxy pass phrase:');
    if (again !== first) throw cliError('CLI_USAGE', 'the two pass phrases differ; nothing was stored');
  }
  if (first.length < 6) throw cliError('CLI_USAGE', 'the MyProxy pass phrase must be at least 6 characters');
  return first;
}

export async function myproxyInit(args: readonly string[], cli: CliContext): Promise<number> {
  const options = parse('myproxy-init', args, 'slctSR');
  const { environment } = cli;
  const user = await findUserCertificate({ env: environment.env, homeDir: environment.homeDir, uid: environment.uid, fallbackCertsDir: environment.devCertsDir });
  const identity = describeProxy([user.certPem, ...user.chainPems].map((pem) => new X509Certificate(pem))).identity;
  cli.output.result(`Your identity: ${identity}`);
  if (user.keyEncrypted && !environment.stdin.isTTY) {
    throw cliError('CLI_USAGE', 'your key is encrypted and there is no terminal to ask its pass phrase (-S reads only the MyProxy pass phrase); run grid-proxy-init first and point X509_USER_CERT/X509_USER_KEY at the proxy');
  }
  const keyPass = user.keyEncrypted ? await readPassPhrase(environment, false, 'Enter GRID pass phrase for this identity:') : undefined;
  const issuerKey = unlockPrivateKey(user.keyPem, keyPass, user.keyFile);
  const name = username(options, cli);
  // MyProxy's -R: the renewer, not a pass phrase, is what opens the credential.
  const passphrase = options.renewer ? '' : await passPhrase(cli, options, 'Enter MyProxy pass phrase:', true);
  const proxy = await createProxy({ issuerCertPem: user.certPem, issuerKey, issuerChainPems: user.chainPems, lifetimeSeconds: options.credentialHours * 3600 });
  const info = await putCredential(
    serviceUrl(options, cli),
    { username: name, passphrase, certPem: proxy.certPem, keyPem: proxy.keyPem, chainPems: proxy.chainPems, maxLifetimeHours: options.proxyHours, ...(options.renewer ? { renewer: options.renewer } : {}) },
    await cli.credentials(),
  );
  cli.output.result(
    `A proxy valid until ${asctime(new Date(info.notAfter))} for user ${info.username} now exists on the repository;\nproxies retrieved from it live at most ${info.maxLifetimeHours} hours.` +
      (info.renewer ? `\nIt may be renewed by ${info.renewer} only, and is not retrieved with a pass phrase.` : ''),
  );
  return 0;
}

export async function myproxyLogon(args: readonly string[], cli: CliContext): Promise<number> {
  const options = parse('myproxy-logon', args, 'sltoS');
  const name = username(options, cli);
  const passphrase = await passPhrase(cli, options, 'Enter MyProxy pass phrase:', false);
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const credentials = await cli.credentials();
  const answer = await getCredential(
    serviceUrl(options, cli),
    { username: name, passphrase, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), lifetimeHours: options.proxyHours },
    credentials,
  );
  const out = options.outFile ?? defaultProxyPath(cli.environment.env, cli.environment.uid);
  await writeProxyFile(out, { certPem: answer.certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), chainPems: answer.chainPems });
  cli.output.result(`A credential has been received for user ${name} in ${out}, valid until ${asctime(new Date(answer.notAfter))}.`);
  return 0;
}

export async function myproxyInfo(args: readonly string[], cli: CliContext): Promise<number> {
  const options = parse('myproxy-info', args, 'sl');
  const info = await credentialInfo(serviceUrl(options, cli), username(options, cli), await cli.credentials());
  cli.output.result([`username: ${info.username}`, `owner: ${info.owner}`, `timeleft: until ${asctime(new Date(info.notAfter))}`, `max lifetime of retrieved proxies: ${info.maxLifetimeHours} hours`, ...(info.renewer ? [`renewable by: ${info.renewer}`] : [])].join('\n'));
  return 0;
}

export async function myproxyDestroy(args: readonly string[], cli: CliContext): Promise<number> {
  const options = parse('myproxy-destroy', args, 'slS');
  const name = username(options, cli);
  const url = serviceUrl(options, cli);
  const credentials = await cli.credentials();
  // A credential stored for renewal has no pass phrase: the owner alone may remove it.
  const renewable = (await credentialInfo(url, name, credentials)).renewer !== undefined;
  const passphrase = renewable ? undefined : await passPhrase(cli, options, 'Enter MyProxy pass phrase:', false);
  await destroyCredential(url, name, passphrase, credentials);
  cli.output.result(`Default MyProxy credential for user ${name} was successfully removed.`);
  return 0;
}
