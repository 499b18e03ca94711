/**
 * `weft grid-cert-request [-cn NAME] [-dir DIR] [-bits N] [-nopw | -pwstdin] [-force]`: make a
 * private key and a certificate request, as GCT's grid-cert-request does, in ~/.globus by default:
 * `userkey.pem` (mode 0400, encrypted with a pass phrase unless -nopw) and
 * `usercert_request.pem`, which the CA signs (`weft grid-ca-sign` for the dev CA) into
 * `usercert.pem`. The subject is `/O=Grid/OU=Weft/CN=<NAME>`, the dev CA's namespace.
 *
 * `weft grid-cert-request -host FQDN [-service NAME] [-dir DIR]`: the same for a host (or one
 * service on it), as GCT does: subject `/O=Grid/OU=Weft/CN=host/FQDN` (or `CN=NAME/FQDN`),
 * `hostkey.pem` NOT encrypted (services start unattended; it is 0400, for the service account
 * only) and `hostcert_request.pem`, in /etc/grid-security by default (`<NAME>key.pem`,
 * `<NAME>cert_request.pem` with -service).
 */
import { generateKeyPair } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { globusDnToForgeAttributes, hostNameOfCommonName, MIN_REQUEST_KEY_BITS, writeFileAtomic } from '../../gsi/index.ts';
import type { CliContext } from '../cli-context.ts';
import { cliError } from '../errors.ts';
import { flagValue } from '../flag-value.ts';
import { readPassPhrase } from '../read-pass-phrase.ts';

export const REQUEST_NAMESPACE = '/O=Grid/OU=Weft/';

/** Where GCT keeps host credentials. */
const HOST_CREDENTIALS_DIR = '/etc/grid-security';

interface RequestOptions {
  cn?: string;
  /** Fully qualified host name, for a host (or service) certificate. */
  host?: string;
  service?: string;
  dir?: string;
  bits: number;
  noPassPhrase: boolean;
  passPhraseFromStdin: boolean;
  force: boolean;
}

function parse(args: readonly string[]): RequestOptions {
  const options: RequestOptions = { bits: 2048, noPassPhrase: false, passPhraseFromStdin: false, force: false };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i]!;
    const value = () => flagValue(args, (i += 1), flag);
    if (flag === '-cn' || flag === '-commonname') options.cn = value();
    else if (flag === '-host') options.host = value();
    else if (flag === '-service') options.service = value();
    else if (flag === '-dir') options.dir = value();
    else if (flag === '-bits') options.bits = Number(value());
    else if (flag === '-nopw' || flag === '-nodes') options.noPassPhrase = true;
    else if (flag === '-pwstdin') options.passPhraseFromStdin = true;
    else if (flag === '-force') options.force = true;
    else throw cliError('CLI_USAGE', `grid-cert-request does not know the option ${flag}`);
  }
  if (!Number.isInteger(options.bits) || options.bits < MIN_REQUEST_KEY_BITS || options.bits > 16384) {
    throw cliError('CLI_USAGE', `-bits must be a whole number from ${MIN_REQUEST_KEY_BITS} to 16384 (CAs refuse weaker keys)`);
  }
  if (options.host !== undefined || options.service !== undefined) {
    if (options.cn !== undefined) throw cliError('CLI_USAGE', 'give either -cn (a person) or -host (a host), not both');
    if (options.host === undefined) throw cliError('CLI_USAGE', '-service needs -host FQDN: the host the service runs on');
    if (options.service !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/i.test(options.service)) {
      throw cliError('CLI_USAGE', '-service must be a short name of letters, digits and "-" (e.g. ldap)');
    }
    if (hostNameOfCommonName(`${options.service ?? 'host'}/${options.host}`) === undefined) {
      throw cliError('CLI_USAGE', `-host must be a fully qualified DNS name such as grid.example.org, not "${options.host}"`);
    }
    options.noPassPhrase = true; // host keys are unencrypted, as GCT makes them
    return options;
  }
  if (!options.cn || /[/=\n]/.test(options.cn)) {
    throw cliError('CLI_USAGE', 'give your name with -cn "First Last" (no "/", "=" or line breaks), or -host FQDN for a host');
  }
  return options;
}

/** The subject and file names of the request `options` asks for. */
function requestLayout(options: RequestOptions, homeDir: string) {
  if (options.host === undefined) {
    const dir = options.dir ?? join(homeDir, '.globus');
    return {
      subjectDn: `${REQUEST_NAMESPACE}CN=${options.cn}`,
      dir,
      keyFile: join(dir, 'userkey.pem'),
      requestFile: join(dir, 'usercert_request.pem'),
      certFile: join(dir, 'usercert.pem'),
    };
  }
  const prefix = options.service ?? 'host';
  const dir = options.dir ?? HOST_CREDENTIALS_DIR;
  return {
    subjectDn: `${REQUEST_NAMESPACE}CN=${prefix}/${options.host.toLowerCase()}`,
    dir,
    keyFile: join(dir, `${prefix}key.pem`),
    requestFile: join(dir, `${prefix}cert_request.pem`),
    certFile: join(dir, `${prefix}cert.pem`),
  };
}

export async function gridCertRequest(args: readonly string[], cli: CliContext): Promise<number> {
  const options = parse(args);
  const { subjectDn, dir, keyFile, requestFile, certFile } = requestLayout(options, cli.environment.homeDir);
  if (!options.force && existsSync(keyFile)) {
    throw cliError('CLI_USAGE', `${keyFile} already exists; move it away first, or give -force to replace it`);
  }
  let passPhrase: string | undefined;
  if (!options.noPassPhrase) {
    passPhrase = await readPassPhrase(cli.environment, options.passPhraseFromStdin, 'Enter PEM pass phrase:');
    if (!options.passPhraseFromStdin) {
      const again = await readPassPhrase(cli.environment, false, 'Verifying - Enter PEM pass phrase:');
      if (again !== passPhrase) throw cliError('CLI_USAGE', 'the two pass phrases differ; nothing was written');
    }
    if (passPhrase.length < 4) throw cliError('CLI_USAGE', 'the pass phrase must be at least 4 characters; nothing was written');
  }
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: options.bits });
  const request = forge.pki.createCertificationRequest();
  request.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  request.setSubject(globusDnToForgeAttributes(subjectDn));
  // forge signs the request once (pure JavaScript, a few milliseconds); the key never leaves here unencrypted.
  const unencrypted = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  request.sign(forge.pki.privateKeyFromPem(unencrypted) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  const keyPem =
    passPhrase === undefined
      ? unencrypted
      : privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: passPhrase }).toString();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(keyFile, keyPem, 0o400);
  await writeFileAtomic(requestFile, forge.pki.certificationRequestToPem(request), 0o644);
  cli.output.result(`A private key and a certificate request for ${subjectDn} have been written:`);
  const unencryptedNote = options.host === undefined ? ' (NOT encrypted: -nopw)' : ' (not encrypted, as host keys are; keep it 0400)';
  cli.output.result(`  key      ${keyFile}${passPhrase === undefined ? unencryptedNote : ''}`);
  cli.output.result(`  request  ${requestFile}`);
  cli.output.result(`Send the request to your CA; for the dev CA: weft grid-ca-sign -in ${requestFile} -out ${certFile}`);
  return 0;
}
