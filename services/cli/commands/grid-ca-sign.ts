/**
 * `weft grid-ca-sign -in REQUEST -out CERT [-days N] [-dir CA_DIR]`: the dev CA signs a user's
 * or a host's certificate request (GCT's grid-ca-sign). For the administrator of the dev CA only: it needs
 * `$WEFT_CERTS_DIR/ca/cakey.pem`. Weak keys, altered requests and subjects outside the CA's
 * namespace are refused and nothing is written.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signCertificateRequest, writeFileAtomic } from '../../gsi/index.ts';
import type { CliContext } from '../cli-context.ts';
import { cliError } from '../errors.ts';
import { REQUEST_NAMESPACE } from './grid-cert-request.ts';

export async function gridCaSign(args: readonly string[], cli: CliContext): Promise<number> {
  let input: string | undefined;
  let output: string | undefined;
  let days = 365;
  let caDir = join(cli.environment.env.WEFT_CERTS_DIR ?? cli.environment.devCertsDir, 'ca');
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i]!;
    const value = args[(i += 1)];
    if (value === undefined) throw cliError('CLI_USAGE', `${flag} needs a value`);
    if (flag === '-in') input = value;
    else if (flag === '-out') output = value;
    else if (flag === '-days') days = Number(value);
    else if (flag === '-dir') caDir = value;
    else throw cliError('CLI_USAGE', `grid-ca-sign does not know the option ${flag}`);
  }
  if (!input || !output) throw cliError('CLI_USAGE', 'grid-ca-sign needs -in REQUEST and -out CERT');
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw cliError('CLI_USAGE', '-days must be a whole number from 1 to 3650');
  if (existsSync(output)) throw cliError('CLI_USAGE', `${output} already exists; nothing was signed`);
  const [csrPem, certPem, keyPem] = await Promise.all(
    [input, join(caDir, 'cacert.pem'), join(caDir, 'cakey.pem')].map((file) =>
      readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw cliError('CLI_USAGE', `cannot read ${file} (${error.code ?? String(error)})`);
      }),
    ),
  );
  const signed = signCertificateRequest({ certPem: certPem!, keyPem: keyPem! }, csrPem!, { days, namespace: REQUEST_NAMESPACE });
  await writeFileAtomic(output, signed.certPem, 0o644);
  const kind = signed.hostname === undefined ? '' : ` (a host certificate for ${signed.hostname})`;
  cli.output.result(`Signed ${signed.subjectDn}${kind}, valid ${days} days: ${output}`);
  return 0;
}
