// Sets up what is missing on a fresh machine, so that `npm start` and `npm test` are the only
// commands a newcomer needs: npm packages, Debian packages (as root), and the dev PKI.
// Plain JavaScript with no dependencies: it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Debian packages, each with the test that says it is already there. */
const DEBIAN_PACKAGES = {
  'redis-server': { for: ['start', 'test'], present: () => onPath('redis-server') },
  openssl: { for: ['start', 'test'], present: () => onPath('openssl') },
  'ldap-utils': { for: ['test'], present: () => onPath('ldapsearch') },
  // The index's GLUE 2.0 view is checked against Debian's GLUE 2.0 LDAP schema; python-ldap is a
  // second stock LDAP client for its integration tests.
  'glue-schema': { for: ['test'], present: () => existsSync('/etc/ldap/schema/GLUE20.schema') },
  'python3-ldap': {
    for: ['test'],
    present: () => existsSync('/usr/bin/python3') && run('/usr/bin/python3', ['-c', 'import ldap'], { quiet: true }) === 0,
  },
  'python3-zeep': {
    for: ['test'],
    present: () => existsSync('/usr/bin/python3') && run('/usr/bin/python3', ['-c', 'import zeep'], { quiet: true }) === 0,
  },
  // GCT's grid-proxy-init/-info: the reference our proxies are tested against, both ways.
  'globus-proxy-utils': { for: ['test'], present: () => onPath('grid-proxy-info') },
  // NorduGrid ARC's arcproxy: a second proxy maker nobody here wrote.
  'nordugrid-arc-client': { for: ['test'], present: () => onPath('arcproxy') },
  // WS-Security interop: xmlsec1 checks what our client signs; zeep signs with python3-xmlsec.
  xmlsec1: { for: ['test'], present: () => onPath('xmlsec1') },
  'python3-xmlsec': {
    for: ['test'],
    present: () => existsSync('/usr/bin/python3') && run('/usr/bin/python3', ['-c', 'import xmlsec'], { quiet: true }) === 0,
  },
  // The Slurm LRMS is tested against a private slurmctld + slurmd, authenticated by a private munged.
  'slurm-wlm': { for: ['test'], present: () => onPath('slurmctld') },
  munge: { for: ['test'], present: () => onPath('munged') },
};

function say(line) {
  process.stderr.write(`weft setup: ${line}\n`);
}

function run(command, args, { quiet = false, cwd = REPO_ROOT } = {}) {
  const result = spawnSync(command, args, { cwd, stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'] });
  return result.status ?? 1;
}

function onPath(command) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

function ensureNodeModules() {
  const marker = join(REPO_ROOT, 'node_modules', '.package-lock.json');
  const lock = join(REPO_ROOT, 'package-lock.json');
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  say('installing npm packages (npm install, from package-lock.json) …');
  // Not `npm ci`: npm 11 refuses this lock file because it lacks other platforms' optional
  // packages (msgpackr-extract's darwin/win32 builds), while `npm install` honours it unchanged.
  if (run('npm', ['install', '--no-audit', '--no-fund']) !== 0) {
    throw new Error('npm could not install the packages; check the network to the npm registry and run npm install');
  }
}

function ensureDebianPackages(purpose) {
  const missing = Object.entries(DEBIAN_PACKAGES)
    .filter(([, pkg]) => pkg.for.includes(purpose) && !pkg.present())
    .map(([name]) => name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages; run: sudo apt-get install -y ${missing.join(' ')}`);
  }
  say(`installing Debian packages: ${missing.join(' ')} (apt-get) …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status;
  if (apt(['update']) !== 0) throw new Error('apt-get update failed; check the network to the Debian mirror');
  if (apt(['install', '-y', '--no-install-recommends', ...missing]) !== 0) {
    throw new Error(`apt-get could not install ${missing.join(' ')}`);
  }
  // redis-server's Debian package starts a system instance on 6379; Weft runs its own.
}

function ensureDevPki() {
  const certsDir = process.env.WEFT_CERTS_DIR || join(REPO_ROOT, 'certs');
  const status = run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'make-dev-pki.ts'), certsDir]);
  if (status !== 0) throw new Error('could not make the dev PKI under certs/');
}

/** Makes sure everything `purpose` ('start' or 'test') needs is installed and made. */
export function bootstrap(purpose) {
  ensureNodeModules();
  ensureDebianPackages(purpose);
  ensureDevPki();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    bootstrap(process.argv[2] ?? 'start');
  } catch (error) {
    say(error.message);
    process.exit(1);
  }
}
