/**
 * `weft grid-cert-request [-cn NAME] [-dir DIR] [-bits N] [-nopw | -pwstdin] [-force]`: make a
 * private key and a certificate request, as GCT's grid-cert-request does, in ~/.globus by default:
 * `userkey.pem` (mode 0400, encrypted with a pass phrase unless -nopw) and
 * `usercert_request.pem`, which the CA signs (`weft grid-ca-sign` for the dev CA) into
 * `usercert.pem`. The subject is `/O=Grid/OU=Weft/CN=<NAME>`, the dev CA's namespace.
 */
import { generateKeyPair } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { globusDnToForgeAttributes, MIN_REQUEST_KEY_BITS, writeFileAtomic } from '../../gsi/index.ts';
import type { CliContext } from '../cli-context.ts';
import { cliError } from '../errors.ts';
import { flagValue } from '../flag-value.ts';
import { readPassPhrase } from '../read-pass-phrase.ts';

export const REQUEST_NAMESPACE = '/O=Grid/OU=Weft/';

interface RequestOptions {
  cn?: string;
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
  if (!options.cn || /[/=\n]/.test(options.cn)) {
    throw cliError('CLI_USAGE', 'give your name with -cn "First Last" (no "/", "=" or line breaks)');
  }
  return options;
}

export async function gridCertRequest(args: readonly string[], cli: CliContext): Promise<number> {
  const options = parse(args);
  const dir = options.dir ?? join(cli.environment.homeDir, '.globus');
  const keyFile = join(dir, 'userkey.pem');
  const requestFile = join(dir, 'usercert_request.pem');
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
  const subjectDn = `${REQUEST_NAMESPACE}CN=${options.cn}`;
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
  cli.output.result(`  key      ${keyFile}${passPhrase === undefined ? ' (NOT encrypted: -nopw)' : ''}`);
  cli.output.result(`  request  ${requestFile}`);
  cli.output.result(`Send the request to your CA; for the dev CA: weft grid-ca-sign -in ${requestFile} -out ${join(dir, 'usercert.pem')}`);
  return 0;
}
