/**
 * `weft grid-proxy-init [options]`: make a short-lived RFC 3820 proxy from the user's
 * certificate and key, as GCT's grid-proxy-init does, and write it (proxy certificate, its key,
 * the user's chain) to `X509_USER_PROXY` or `/tmp/x509up_u<uid>`, mode 0600, atomically.
 *
 * The certificate and key come from -cert/-key, else X509_USER_CERT/X509_USER_KEY, else
 * ~/.globus/usercert.pem and userkey.pem, else the dev user. An encrypted key asks for its pass
 * phrase (first line of stdin with -pwstdin, else a terminal prompt without echo).
 * Differences from GCT, on purpose: only RFC 3820 proxies are made (-old and -draft are
 * refused), keys under 2048 bits are refused, and -policy/-verify/-certdir are not offered.
 */
import { generateKeyPair, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
// Types only here: the GSI code (and node-forge under it) is loaded after key generation has
// started, so that the two overlap (see gridProxyInit).
import type { ProxyPolicy } from '../../gsi/index.ts';
import type { CliContext } from '../cli-context.ts';
import { cliError } from '../errors.ts';
import { flagValue } from '../flag-value.ts';
import { readPassPhrase } from '../read-pass-phrase.ts';
import { asctime, parseValid, parseWholeNumber } from './proxy-time.ts';

const KEY_SIZES = new Set([2048, 3072, 4096]);
/** GCT's default key size (the GSI library's DEFAULT_PROXY_BITS, which is loaded later). */
const DEFAULT_BITS = 2048;

interface ProxyInitOptions {
  minutes: number;
  bits: number;
  policy: ProxyPolicy;
  pathLength: number | undefined;
  pwstdin: boolean;
  quiet: boolean;
  certFile: string | undefined;
  keyFile: string | undefined;
  outFile: string | undefined;
  help: boolean;
}

const USAGE = [
  'usage: weft grid-proxy-init [options]',
  '  -hours H          proxy valid for H hours (default 12)',
  '  -valid H:M        proxy valid for H hours and M minutes',
  '  -bits B           key size: 2048 (default), 3072 or 4096',
  '  -limited          a limited proxy (cannot start jobs)',
  '  -independent      an independent proxy (none of your rights)',
  '  -path-length N    allow at most N proxies to be made from this one',
  '  -rfc              an RFC 3820 proxy (the default and only kind made)',
  '  -pwstdin          read the pass phrase of your key from standard input',
  '  -q                quiet: print nothing on success',
  '  -cert FILE, -key FILE   your certificate and key (default: X509_USER_CERT, ~/.globus)',
  '  -out FILE         where to write the proxy (default: X509_USER_PROXY, /tmp/x509up_u<uid>)',
].join('\n');

function parse(args: readonly string[]): ProxyInitOptions {
  const options: ProxyInitOptions = {
    minutes: 12 * 60,
    bits: DEFAULT_BITS,
    policy: 'inheritAll',
    pathLength: undefined,
    pwstdin: false,
    quiet: false,
    certFile: undefined,
    keyFile: undefined,
    outFile: undefined,
    help: false,
  };
  const setPolicy = (flag: string, policy: ProxyPolicy) => {
    if (options.policy !== 'inheritAll') {
      throw cliError('CLI_USAGE', `${flag}: -limited and -independent exclude each other`);
    }
    options.policy = policy;
  };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i]!;
    const value = () => flagValue(args, (i += 1), flag);
    switch (flag) {
      case '-help':
      case '-usage':
        options.help = true;
        break;
      case '-hours':
        options.minutes = parseWholeNumber(flag, value(), 1) * 60;
        break;
      case '-valid':
        options.minutes = parseValid(flag, value());
        if (options.minutes === 0) throw cliError('CLI_USAGE', '-valid must be longer than 0:00');
        break;
      case '-bits': {
        const bits = parseWholeNumber(flag, value());
        if (!KEY_SIZES.has(bits)) {
          throw cliError(
            'CLI_USAGE',
            `-bits ${bits}: give 2048, 3072 or 4096; shorter keys are weak and refused by OpenSSL's default security level`,
          );
        }
        options.bits = bits;
        break;
      }
      case '-limited':
        setPolicy(flag, 'limited');
        break;
      case '-independent':
        setPolicy(flag, 'independent');
        break;
      case '-path-length':
        options.pathLength = parseWholeNumber(flag, value());
        break;
      case '-rfc':
        break; // the default, and the only kind made
      case '-old':
      case '-draft':
        throw cliError(
          'CLI_USAGE',
          `${flag}: weft makes only RFC 3820 proxies (legacy and pre-RFC proxies are outdated; Weft still recognises legacy ones others made); drop ${flag}`,
        );
      case '-pwstdin':
        options.pwstdin = true;
        break;
      case '-q':
        options.quiet = true;
        break;
      case '-cert':
        options.certFile = value();
        break;
      case '-key':
        options.keyFile = value();
        break;
      case '-out':
        options.outFile = value();
        break;
      default:
        throw cliError('CLI_USAGE', `grid-proxy-init does not know the option ${flag}`);
    }
  }
  return options;
}

export async function gridProxyInit(args: readonly string[], cli: CliContext): Promise<number> {
  const options = parse(args);
  if (options.help) {
    cli.output.result(USAGE);
    return 0;
  }
  // Making the RSA key is most of the work (tens to hundreds of ms, on libuv's thread pool): start
  // it now, while this thread loads the GSI code, reads the credentials and asks for the pass
  // phrase. A failure later (no credentials, wrong pass phrase) just drops the key unused.
  const keyPair = promisify(generateKeyPair)('rsa', { modulusLength: options.bits });
  keyPair.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  const { createProxy, defaultProxyPath, describeProxy, findUserCertificate, unlockPrivateKey, writeProxyFile } = await import(
    '../../gsi/index.ts'
  );
  const { environment } = cli;
  const env = { ...environment.env };
  if (options.certFile) env['X509_USER_CERT'] = options.certFile;
  if (options.keyFile) env['X509_USER_KEY'] = options.keyFile;
  const user = await findUserCertificate({
    env,
    homeDir: environment.homeDir,
    uid: environment.uid,
    fallbackCertsDir: environment.devCertsDir,
  });
  const say = (text: string) => options.quiet || cli.output.result(text);
  const identity = describeProxy(
    [user.certPem, ...user.chainPems].map((pem) => new X509Certificate(pem)),
  ).identity;
  say(`Your identity: ${identity}`);
  const passphrase = user.keyEncrypted
    ? await readPassPhrase(
        environment,
        options.pwstdin,
        options.quiet ? 'Enter GRID pass phrase:' : 'Enter GRID pass phrase for this identity:',
      )
    : undefined;
  const issuerKey = unlockPrivateKey(user.keyPem, passphrase, user.keyFile);
  const proxy = await createProxy({
    issuerCertPem: user.certPem,
    issuerKey,
    issuerChainPems: user.chainPems,
    lifetimeSeconds: options.minutes * 60,
    keyPair,
    policy: options.policy,
    ...(options.pathLength === undefined ? {} : { pathLength: options.pathLength }),
  });
  const out = options.outFile ?? defaultProxyPath(environment.env, environment.uid);
  await writeProxyFile(out, proxy);
  say('Creating proxy ... Done');
  if (proxy.clipped) {
    say(
      `Warning: your certificate and proxy will expire ${asctime(proxy.notAfter)}\n which is within the requested lifetime of the proxy`,
    );
  }
  say(`Your proxy is valid until: ${asctime(proxy.notAfter)}`);
  return 0;
}
