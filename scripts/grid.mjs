// scripts/grid up [--detach] | status | down — runs a whole grid on this machine.
//   up        starts every part, prints the endpoints, and stays in the foreground; Ctrl-C stops
//             everything it started. With --detach it returns once every part answers (exit 0),
//             or exits non-zero with the reason.
//   status    says which parts run and answer (exit 0 only when all do).
//   down      stops a grid started by `up` (foreground or detached).
// Starting a grid that already runs is harmless: it says so and exits 0.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, REPO_ROOT } from './bootstrap.mjs';
import { gridParts, gridSettings } from './lib/grid-parts.mjs';
import { isAlive, isGridProcess, waitFor } from './lib/probes.mjs';

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 8_000;
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

function say(line) {
  process.stdout.write(`${line}\n`);
}

function readState(settings) {
  try {
    return JSON.parse(readFileSync(settings.stateFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeState(settings, state) {
  mkdirSync(join(settings.home, 'run'), { recursive: true });
  const temp = `${settings.stateFile}.${process.pid}`;
  writeFileSync(temp, JSON.stringify(state, null, 2));
  renameSync(temp, settings.stateFile);
}

function endpoints(settings) {
  return {
    container: `https://localhost:${settings.containerPort}/wsrf/services/`,
    factory: `https://localhost:${settings.containerPort}/wsrf/services/ManagedJobFactoryService`,
    redis: `redis://127.0.0.1:${settings.redisPort}`,
  };
}

function printWelcome(settings) {
  const e = endpoints(settings);
  say('');
  say('Weft grid is up.');
  say(`  container  ${e.container}  (ManagedJobFactoryService, ManagedJobService; ?wsdl for each)`);
  say(`  index      ldap://localhost:${settings.mdsPort}  (ldapsearch -x -H ldap://localhost:${settings.mdsPort} -b Mds-Vo-name=local,o=grid)`);
  say(`  redis      ${e.redis}  (state in ${settings.home})`);
  say(`  sites      ${settings.demoSites.map((s) => `${s.name} (fork, ${s.slots} slots)`).join(', ')}`);
  say(`  logs       ${settings.logDir}/`);
  say('');
  say('Try, in another terminal:');
  say(`  bin/weft globus-job-run https://localhost:${settings.containerPort} /bin/echo hello grid`);
  say('');
}

/** The line of a part's log that says why it stopped, e.g. `: could not start: port in use`. */
function lastWords(logPath) {
  try {
    const lines = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-20);
    const plain = lines.filter((line) => !line.startsWith('{')).pop(); // daemons log JSON; their last words are plain
    const words = plain ?? lines.pop() ?? '';
    return words ? `: ${words.replace(/^weft \S+: /, '').slice(0, 300)}` : '';
  } catch {
    return '';
  }
}

/** Is a grid already running under this WEFT_HOME? */
function runningGrid(settings) {
  const state = readState(settings);
  return state && isGridProcess(state.supervisorPid) ? state : undefined;
}

/** Stops a part: SIGTERM to its process group, then SIGKILL after the grace period. */
async function stopPid(pid) {
  if (!isAlive(pid)) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
  }
  if (await waitFor(() => !isAlive(pid), STOP_GRACE_MS)) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone
  }
}

/** Leftovers of a supervisor that was killed hard: stop them before starting again. */
async function cleanStale(settings) {
  const state = readState(settings);
  if (!state) return;
  for (const pid of Object.values(state.parts ?? {}).reverse()) if (isGridProcess(pid)) await stopPid(pid);
  rmSync(settings.stateFile, { force: true });
}

async function supervise(settings) {
  await cleanStale(settings);
  for (const dir of ['run', 'log', 'redis']) mkdirSync(join(settings.home, dir), { recursive: true });
  const parts = gridParts(settings);
  const state = { supervisorPid: process.pid, startedAt: new Date().toISOString(), ready: false, parts: {}, endpoints: endpoints(settings) };
  const children = new Map();
  let stopping = false;

  const stopAll = async (exitCode) => {
    if (stopping) return;
    stopping = true;
    say('Stopping the grid …');
    for (const part of [...parts].reverse()) {
      const child = children.get(part.name);
      if (child) {
        await stopPid(child.pid);
        say(`  stopped ${part.name}`);
      }
    }
    rmSync(settings.stateFile, { force: true });
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const fail = async (reason) => {
    state.error = reason;
    writeState(settings, state);
    say(`The grid could not start: ${reason}`);
    await stopAll(1);
  };

  // After the grid is up, a part that dies is started again (a kill -9 of any part must not
  // lose jobs: Redis replays its AOF, BullMQ hands stalled jobs out again), unless it keeps dying.
  const restarts = new Map();
  const launch = (part) => {
    const logPath = join(settings.logDir, `${part.name}.log`);
    const log = openSync(logPath, 'a');
    const child = spawn(part.command, part.args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...part.env },
      stdio: ['ignore', log, log],
      detached: true, // its own process group: Ctrl-C reaches the supervisor, which stops parts in order
    });
    closeSync(log);
    children.set(part.name, child);
    child.once('error', (error) => void fail(`${part.name} could not be started: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const why = `${part.name} exited (${signal ?? `code ${code}`})${lastWords(logPath)}; see ${logPath}`;
      if (!state.ready) return void fail(why);
      const recent = (restarts.get(part.name) ?? []).filter((at) => Date.now() - at < RESTART_WINDOW_MS);
      if (recent.length >= MAX_RESTARTS) return void fail(`${why}; it died ${MAX_RESTARTS} times within a minute`);
      restarts.set(part.name, [...recent, Date.now()]);
      say(`${why}; starting it again`);
      setTimeout(() => stopping || launch(part), 500);
    });
    state.parts[part.name] = child.pid;
    writeState(settings, state);
    return logPath;
  };

  for (const part of parts) {
    const logPath = launch(part);
    process.stdout.write(`Starting ${part.name} … `);
    if (!(await waitFor(part.ready, READY_TIMEOUT_MS))) {
      say('no answer');
      await fail(`${part.name} did not answer within ${READY_TIMEOUT_MS / 1000} s; see ${logPath}`);
      return;
    }
    say('ready');
  }
  state.ready = true;
  writeState(settings, state);
  printWelcome(settings);
  say('Press Ctrl-C to stop the grid.');
}

async function up(settings, detach) {
  const existing = runningGrid(settings);
  if (existing) {
    say(`A Weft grid already runs here (supervisor pid ${existing.supervisorPid}); nothing to do.`);
    printWelcome(settings);
    return 0;
  }
  if (!detach) {
    await supervise(settings);
    return undefined; // keep running
  }
  mkdirSync(settings.logDir, { recursive: true });
  const log = openSync(join(settings.logDir, 'grid.log'), 'a');
  const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'grid.mjs'), 'supervise'], {
    cwd: REPO_ROOT,
    env: process.env,
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  child.unref();
  const settled = await waitFor(() => {
    const state = readState(settings);
    if (!isAlive(child.pid)) return true;
    return state?.supervisorPid === child.pid && (state.ready || state.error);
  }, READY_TIMEOUT_MS * 2);
  const state = readState(settings);
  if (settled && state?.ready && isAlive(child.pid)) {
    printWelcome(settings);
    return 0;
  }
  const reason = state?.error ?? (settled ? 'the supervisor exited' : 'it did not become ready in time');
  say(`The grid could not start: ${reason} (see ${join(settings.logDir, 'grid.log')})`);
  await stopPid(child.pid);
  return 1;
}

async function status(settings) {
  const state = readState(settings);
  if (!state || !isAlive(state.supervisorPid)) {
    say('No Weft grid runs here.');
    return 3;
  }
  let allUp = true;
  const parts = gridParts(settings);
  for (const part of parts) {
    const pid = state.parts?.[part.name];
    const up = isAlive(pid) && (await part.ready());
    allUp &&= up;
    say(`${part.name.padEnd(12)} ${up ? 'up' : 'DOWN'}${pid ? `  pid ${pid}` : ''}`);
  }
  say(`container    ${state.endpoints.container}`);
  return allUp ? 0 : 3;
}

async function down(settings) {
  const state = readState(settings);
  if (!state) {
    say('No Weft grid runs here.');
    return 0;
  }
  if (isGridProcess(state.supervisorPid)) await stopPid(state.supervisorPid);
  for (const pid of Object.values(state.parts ?? {}).reverse()) if (isGridProcess(pid)) await stopPid(pid);
  rmSync(settings.stateFile, { force: true });
  say('The Weft grid is stopped.');
  return 0;
}

async function main() {
  const [command = 'up', ...flags] = process.argv.slice(2);
  const settings = gridSettings();
  switch (command) {
    case 'up':
      bootstrap('start');
      return up(settings, flags.includes('--detach'));
    case 'supervise':
      await supervise(settings);
      return undefined;
    case 'status':
      return status(settings);
    case 'down':
      return down(settings);
    default:
      say('usage: scripts/grid up [--detach] | status | down');
      return 2;
  }
}

main().then(
  (code) => code !== undefined && process.exit(code),
  (error) => {
    process.stderr.write(`weft grid: ${error.message}\n`);
    process.exit(1);
  },
);
