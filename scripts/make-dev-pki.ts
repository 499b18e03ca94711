/**
 * Makes (or repairs) the dev PKI: `node --import tsx scripts/make-dev-pki.ts [certsDir]`.
 * Prints one line per file made; running it again makes nothing. Default: <repo>/certs.
 */
import { resolve } from 'node:path';
import { isGridError } from '../services/common/errors.ts';
import { ensureDevPki } from '../services/gsi/index.ts';

const certsDir = resolve(process.argv[2] ?? resolve(import.meta.dirname, '..', 'certs'));
try {
  const paths = await ensureDevPki(certsDir, { log: (line) => console.log(line) });
  if (paths.made.length === 0) console.log(`dev PKI already in place in ${paths.certsDir}`);
} catch (error) {
  if (!isGridError(error)) throw error;
  console.error(`make-dev-pki: ${error.message}\n  ${error.hint}`);
  process.exitCode = 1;
}
