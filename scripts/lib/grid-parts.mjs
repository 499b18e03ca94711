// What `scripts/grid up` runs: a private redis-server, the container, a broker, the index (MDS)
// and the demo sites, each with the probe that says it is ready. Settings come from the
// environment, with the defaults the README documents.
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../bootstrap.mjs';
import { redisCommand, tcpAnswers } from './probes.mjs';

function intFrom(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} is ${JSON.stringify(raw)}; it must be a port number from 1 to 65535`);
  }
  return value;
}

function demoSitesFrom(text) {
  return text.split(',').filter(Boolean).map((item) => {
    const [name, slots] = item.split(':');
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name ?? '') || !/^[1-9]\d*$/.test(slots ?? '')) {
      throw new Error(`WEFT_DEMO_SITES item "${item}" must look like name:slots, e.g. alpha:4`);
    }
    return { name, slots: Number(slots) };
  });
}

/** The grid's settings from the environment. */
export function gridSettings(env = process.env) {
  const home = resolve(env.WEFT_HOME || join(REPO_ROOT, 'var'));
  return {
    home,
    redisPort: intFrom(env, 'WEFT_REDIS_PORT', 6390),
    containerPort: intFrom(env, 'WEFT_CONTAINER_PORT', 8443),
    mdsPort: intFrom(env, 'WEFT_MDS_PORT', 2135),
    certsDir: resolve(env.WEFT_CERTS_DIR || join(REPO_ROOT, 'certs')),
    demoSites: demoSitesFrom(env.WEFT_DEMO_SITES ?? 'alpha:4,beta:2'),
    stateFile: join(home, 'run', 'grid.json'),
    logDir: join(home, 'log'),
  };
}

async function redisClientNamed(port, name) {
  const list = await redisCommand(port, ['CLIENT', 'LIST']);
  return typeof list === 'string' && list.includes(`name=${name} `);
}

/** The processes of a grid, in start order (stopped in reverse). */
export function gridParts(settings) {
  const node = (entry) => ({ command: process.execPath, args: ['--import', 'tsx', join(REPO_ROOT, entry)] });
  const base = {
    WEFT_HOME: settings.home,
    WEFT_REDIS_PORT: String(settings.redisPort),
    WEFT_CERTS_DIR: settings.certsDir,
  };
  return [
    {
      name: 'redis',
      command: 'redis-server',
      args: [
        '--port', String(settings.redisPort), '--bind', '127.0.0.1', '--protected-mode', 'yes',
        // appendfsync always: a job that createManagedJob has answered for must survive a kill -9 of
        // Redis itself (DESIGN.md, "No accepted job is lost"); Redis groups the fsyncs of one event loop.
        '--dir', join(settings.home, 'redis'), '--appendonly', 'yes', '--appendfsync', 'always',
        '--save', '', '--daemonize', 'no', '--notify-keyspace-events', 'Khgx',
      ],
      env: {},
      ready: async () => (await redisCommand(settings.redisPort, ['PING'])) === '+PONG',
    },
    {
      name: 'container',
      ...node('services/container/main.ts'),
      env: { ...base, WEFT_CONTAINER_PORT: String(settings.containerPort) },
      ready: async () =>
        (await tcpAnswers(settings.containerPort)) && redisClientNamed(settings.redisPort, 'weft-container'),
    },
    {
      name: 'broker',
      ...node('services/broker/main.ts'),
      env: base,
      ready: () => redisClientNamed(settings.redisPort, 'weft-broker'),
    },
    {
      name: 'mds',
      ...node('services/mds/main.ts'),
      env: {
        ...base,
        WEFT_MDS_PORT: String(settings.mdsPort),
        WEFT_MDS_ENDPOINT_URL: `https://localhost:${settings.containerPort}/wsrf/services/ManagedJobFactoryService`,
      },
      ready: async () => (await tcpAnswers(settings.mdsPort)) && redisClientNamed(settings.redisPort, 'weft-mds'),
    },
    ...settings.demoSites.map((site) => ({
      name: `site-${site.name}`,
      ...node('services/site/main.ts'),
      env: { ...base, WEFT_SITE_NAME: site.name, WEFT_SITE_SLOTS: String(site.slots) },
      ready: async () => (await redisCommand(settings.redisPort, ['EXISTS', `weft:site:{${site.name}}`])) === ':1',
    })),
  ];
}
