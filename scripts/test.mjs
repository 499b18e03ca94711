// npm test: set up what is missing (npm and Debian packages, the dev PKI), type-check, then run
// every test file under test/ with Node's own test runner.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bootstrap, REPO_ROOT } from './bootstrap.mjs';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function step(title, command, args) {
  process.stderr.write(`\n== ${title}\n`);
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`\n${title} failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(result.status || 1);
  }
}

try {
  bootstrap('test');
} catch (error) {
  process.stderr.write(`weft setup: ${error.message}\n`);
  process.exit(1);
}
step('type check (tsc --noEmit)', process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', REPO_ROOT]);
step('lint (eslint, with type information)', process.execPath, [join(REPO_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), 'services', 'scripts', 'test', 'bench']);
const only = process.argv.slice(2);
const files = (only.length > 0 ? only : testFiles(join(REPO_ROOT, 'test')).sort()).map((file) => relative(REPO_ROOT, file));
step(`tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
