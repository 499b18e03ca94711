/**
 * A real, private Slurm for one test file (or a `npm start` demo): its own munged (own key,
 * socket and files), slurmctld and slurmd on free loopback ports, one node named after this
 * host, everything in a fresh temp dir, stopped by pid at the end. Slurm's daemons run as root
 * (SlurmUser=root), so tests that need this skip when not root (see `slurmSkipReason`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export interface TestSlurm {
  /** The slurm.conf every client (sbatch, squeue, the agent) must be given as SLURM_CONF. */
  readonly conf: string;
  readonly partition: string;
  readonly node: string;
  /** Runs a Slurm client command (scontrol, squeue, …) against this cluster; returns stdout. */
  client(command: string, args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/** CPUs the test node offers (job slots), whatever the host has. */
export const NODE_CPUS = 8;

const SBIN = ['/usr/sbin', '/usr/bin', '/usr/local/sbin'];

function findDaemon(name: string): string | undefined {
  return SBIN.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

/** Why Slurm tests cannot run here, or undefined when they can. */
export function slurmSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'the private Slurm runs its daemons as root (SlurmUser=root); run the tests as root';
  for (const daemon of ['munged', 'slurmctld', 'slurmd']) {
    if (!findDaemon(daemon)) return `${daemon} is not installed (apt-get install slurm-wlm munge)`;
  }
  return undefined;
}

function slurmConf(dir: string, ports: { ctld: number; slurmd: number }, node: string, socket: string, nodeIsLoopback: boolean): string {
  // Memory a job may ask for (--mem), a little under the host's.
  const memoryMB = Math.max(1, Math.floor(totalmem() / 1_048_576) - 256);
  return [
    `ClusterName=weft${ports.ctld}`,
    `SlurmctldHost=${node}(127.0.0.1)`,
    `SlurmctldPort=${ports.ctld}`,
    `SlurmdPort=${ports.slurmd}`,
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${socket}`,
    'SlurmUser=root',
    'SlurmdUser=root',
    `StateSaveLocation=${join(dir, 'state')}`,
    `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
    `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
    `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
    'ProctrackType=proctrack/pgid',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'SchedulerType=sched/backfill',
    // Start a job as soon as it is submitted or a node frees up, not on the next periodic pass.
    'SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,sched_interval=1,bf_interval=1',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'MpiDefault=none',
    'ReturnToService=2',
    // Ended jobs stay visible to scontrol a while (the agent reads their ExitCode from it).
    'MinJobAge=300',
    // A job past its time limit gets SIGTERM, then SIGKILL this many seconds later.
    'KillWait=2',
    'OverTimeLimit=0',
    // Tests run several jobs side by side on small machines: the node offers more CPUs than it
    // has, and slurmd is told to trust this file rather than drain the node for it.
    'SlurmdParameters=config_overrides',
    // Tests stay on loopback: when the node's name resolves to a loopback address, every daemon
    // binds to that address instead of to all of the host's.
    ...(nodeIsLoopback ? ['CommunicationParameters=NoCtldInAddrAny,NoInAddrAny'] : []),
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${NODE_CPUS} RealMemory=${memoryMB} State=UNKNOWN`,
    `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n');
}

function logTail(dir: string): string {
  return ['munged.log', 'slurmctld.log', 'slurmd.log']
    .map((name) => {
      const path = join(dir, 'log', name);
      const lines = existsSync(path) ? readFileSync(path, 'utf8').trimEnd().split('\n').slice(-15) : ['(none)'];
      return `--- ${name}\n${lines.join('\n')}`;
    })
    .join('\n');
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startSlurm(): Promise<TestSlurm> {
  const why = slurmSkipReason();
  if (why) throw new Error(`cannot start a private Slurm: ${why}`);
  const dir = mkdtempSync(join(tmpdir(), 'weft-slurm-'));
  // munged's socket must be reachable by everyone (its clients are any user): x for all on the way.
  chmodSync(dir, 0o711);
  for (const sub of ['state', 'spool', 'log', 'munge']) mkdirSync(join(dir, sub), { mode: 0o700 });
  mkdirSync(join(dir, 'run'), { mode: 0o711 });
  const node = hostname().split('.')[0] ?? 'localhost';
  const socket = join(dir, 'run', 'munge.socket');
  const keyFile = join(dir, 'munge', 'munge.key');
  // munged wants a key only its user can read (mungekey does the same with /dev/urandom).
  writeFileSync(keyFile, randomBytes(1024), { mode: 0o400 });
  const conf = join(dir, 'slurm.conf');
  const ports = { ctld: await freePort(), slurmd: await freePort() };
  const nodeIsLoopback = await lookup(node, { family: 4 }).then(
    ({ address }) => address.startsWith('127.'),
    () => false,
  );
  writeFileSync(conf, slurmConf(dir, ports, node, socket, nodeIsLoopback));
  const env = { ...process.env, SLURM_CONF: conf };
  const children: ChildProcess[] = [];
  const daemon = (name: string, args: string[]) => {
    // Its own process group: a Ctrl-C meant for the demo's terminal reaches us, and we stop them in order.
    const child = spawn(findDaemon(name) ?? name, args, { env, stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // seen as the node never coming up, with the logs
    children.push(child);
  };
  const client = async (command: string, args: readonly string[]) =>
    (await run(command, [...args], { env, timeout: 10_000 })).stdout;

  async function stop() {
    // Jobs first (their slurmstepd processes are not the daemons' children), then the daemons.
    await client('scancel', ['--user=root']).catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const left = await client('squeue', ['--noheader', '--format=%i', '--states=RUNNING,COMPLETING,PENDING']).catch(() => '');
      if (left.trim() === '') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const child of [...children].reverse()) {
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(killTimer);
    }
    rmSync(dir, { recursive: true, force: true });
  }

  try {
    daemon('munged', [
      '--foreground',
      `--socket=${socket}`,
      `--key-file=${keyFile}`,
      `--pid-file=${join(dir, 'munge', 'munged.pid')}`,
      `--log-file=${join(dir, 'log', 'munged.log')}`,
      `--seed-file=${join(dir, 'munge', 'munged.seed')}`,
    ]);
    await waitFor(() => existsSync(socket), 10_000, () => `munged made no socket\n${logTail(dir)}`);
    daemon('slurmctld', ['-D', '-c', '-i', '-f', conf]);
    daemon('slurmd', ['-D', '-N', node, '-f', conf]);
    await waitFor(
      async () => (await client('sinfo', ['--noheader', '--format=%t']).catch(() => '')).trim() === 'idle',
      30_000,
      () => `the private Slurm's node never became idle\n${logTail(dir)}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  // Exported for Slurm clients started by this process (the site agent's sbatch, squeue, …).
  const earlierConf = process.env.SLURM_CONF;
  process.env.SLURM_CONF = conf;
  return {
    conf,
    partition: 'debug',
    node,
    client,
    async stop() {
      if (earlierConf === undefined) delete process.env.SLURM_CONF;
      else process.env.SLURM_CONF = earlierConf;
      await stop();
    },
  };
}

async function waitFor(ready: () => boolean | Promise<boolean>, timeoutMs: number, failure: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// `node --import tsx test/support/slurm-cluster.ts`: a private Slurm for a demo, until Ctrl-C.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const slurm = await startSlurm();
  process.stdout.write(
    `A private Slurm is up (partition ${slurm.partition}, node ${slurm.node}). In another terminal, next to \`npm start\`:\n` +
      `  SLURM_CONF=${slurm.conf} WEFT_SITE_NAME=gamma WEFT_SITE_LRMS=slurm node --import tsx services/site/main.ts\n` +
      'Ctrl-C stops it.\n',
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void slurm.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
