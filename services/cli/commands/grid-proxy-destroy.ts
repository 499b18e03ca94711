/**
 * `weft grid-proxy-destroy [-dryrun] [-default] [--] [FILE…]`: remove proxy files, as GCT's
 * grid-proxy-destroy does. With no FILE (or with -default), the default proxy
 * (X509_USER_PROXY, else /tmp/x509up_u<uid>) must exist; FILEs named that do not exist are
 * passed over silently. The file is overwritten with zeros before it is unlinked, so the
 * proxy's private key does not linger on disk. -dryrun says what would be removed.
 */
import { open, stat, unlink } from 'node:fs/promises';
import { defaultProxyPath, gsiError } from '../../gsi/index.ts';
import type { CliContext } from '../cli-context.ts';
import { cliError } from '../errors.ts';

async function wipe(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    await handle.write(Buffer.alloc(size), 0, size, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await unlink(path);
}

export async function gridProxyDestroy(args: readonly string[], cli: CliContext): Promise<number> {
  let dryRun = false;
  let useDefault = false;
  const files: string[] = [];
  let optionsEnded = false;
  for (const arg of args) {
    if (optionsEnded || !arg.startsWith('-')) {
      files.push(arg);
      continue;
    }
    switch (arg) {
      case '--':
        optionsEnded = true;
        break;
      case '-dryrun':
        dryRun = true;
        break;
      case '-default':
      case '-all': // GCT's -all also destroys delegated proxies; Weft keeps none locally
        useDefault = true;
        break;
      case '-help':
      case '-usage':
        cli.output.result('usage: weft grid-proxy-destroy [-dryrun] [-default] [--] [FILE…]');
        return 0;
      default:
        throw cliError('CLI_USAGE', `grid-proxy-destroy does not know the option ${arg}`);
    }
  }
  const { environment } = cli;
  const targets = files.map((path) => ({ path, required: false }));
  if (useDefault || files.length === 0) {
    targets.unshift({ path: defaultProxyPath(environment.env, environment.uid), required: true });
  }
  for (const { path, required } of targets) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) {
      if (required) {
        throw gsiError('GSI_CREDENTIAL_NOT_FOUND', `there is no proxy file at ${path} to destroy`, {
          file: path,
        });
      }
      continue;
    }
    if (dryRun) cli.output.result(`Would remove ${path}`);
    else await wipe(path);
  }
  return 0;
}
