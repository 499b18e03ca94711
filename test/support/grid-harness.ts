/**
 * A whole grid inside one test process, on real parts: a private redis-server, the container on
 * HTTPS (free port), a broker and fork site agents, with a freshly minted PKI in a temp dir.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { accountingAdminsFile, createAccountingServices, createRedisUsageReader } from '../../services/accounting/index.ts';
import { createBrokerService, BROKER_KNOBS } from '../../services/broker/index.ts';
import { loadConfig, type ConfigOf } from '../../services/common/config.ts';
import { createRedisJobStore } from '../../services/common/job-store.ts';
import { silentLogger } from '../../services/common/logger.ts';
import { connectRedis } from '../../services/common/redis.ts';
import { BROKER_QUEUE, QUEUE_PREFIX } from '../../services/common/redis-keys.ts';
import type { Service } from '../../services/common/service.ts';
import { createRedisSiteRegistry } from '../../services/common/site-registry.ts';
import { CONTAINER_KNOBS, createContainerService } from '../../services/container/index.ts';
import { createDelegationServices, createRedisDelegationStore, loadDelegationSecret } from '../../services/delegation/index.ts';
import { createGramServices } from '../../services/gram/index.ts';
import { createRedisReplayCache, ensureDevPki, loadTrustStore } from '../../services/gsi/index.ts';
import { wssecReplayKey } from '../../services/container/message-identity.ts';
import { createIndexServices, createRedisRegistrationStore, siteAdminsFile } from '../../services/mds/index.ts';
import { MYPROXY_KNOBS, createRedisRepositoryStore, createRepositoryServices } from '../../services/myproxy/index.ts';
import { SITE_KNOBS, createSiteAgentService } from '../../services/site/index.ts';
import type { ClientCredentials } from '../../services/cli/gram-client.ts';
import { startRedis, type TestRedis } from './redis-server.ts';

/** The DN the test grid's services (its host certificate) renew proxies as: `myproxy-init -R`. */
export const GRID_SERVICES_DN = '/O=Grid/OU=Weft/CN=host/localhost';

export interface TestGrid {
  readonly baseUrl: string;
  readonly port: number;
  readonly redis: TestRedis;
  readonly certsDir: string;
  /** The dev user's credentials, as the CLI would load them. */
  readonly user: ClientCredentials;
  readonly caPems: readonly string[];
  /** Stops one site agent mid-test, as if it died (its record then expires by itself). */
  stopSite(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface TestGridOptions {
  readonly sites?: ReadonlyArray<{ name: string; slots: number; knobs?: Partial<ConfigOf<typeof SITE_KNOBS>> }>;
  /** Broker knob overrides (e.g. a short monitor interval). */
  readonly broker?: Partial<ConfigOf<typeof BROKER_KNOBS>>;
  /** How many broker services run side by side (each its own workers), as on several hosts. */
  readonly brokers?: number;
}

export function caPemsIn(certDir: string): string[] {
  return readdirSync(certDir)
    .filter((file) => /^[0-9a-f]{8}\.0$/.test(file))
    .map((file) => readFileSync(join(certDir, file), 'utf8'));
}

export async function startTestGrid(options: TestGridOptions = {}): Promise<TestGrid> {
  const home = mkdtempSync(join(tmpdir(), 'weft-grid-'));
  const certsDir = join(home, 'certs');
  await ensureDevPki(certsDir);
  const redis = await startRedis();
  const logger = silentLogger();
  const connection = connectRedis(redis.url, 'test-grid');
  const jobs = createRedisJobStore(connection);
  const sites = createRedisSiteRegistry(connection);
  const certDir = join(certsDir, 'grid-security', 'certificates');
  const caPems = caPemsIn(certDir);
  const brokerQueue = new Queue(BROKER_QUEUE, { connection, prefix: QUEUE_PREFIX });
  const trust = await loadTrustStore(certDir);
  const delegations = createRedisDelegationStore(connection);
  const delegationSecret = loadDelegationSecret({}, home);

  const container = createContainerService(
    {
      logger,
      trust,
      replay: createRedisReplayCache(connection, wssecReplayKey),
      hostCertPem: readFileSync(join(certsDir, 'grid-security', 'hostcert.pem'), 'utf8'),
      hostKeyPem: readFileSync(join(certsDir, 'grid-security', 'hostkey.pem'), 'utf8'),
      caPems,
      services: [
        ...createGramServices({ jobs, brokerQueue, sites, delegations }),
        ...createIndexServices({
          store: createRedisRegistrationStore(connection, logger),
          checkSiteAdmin: siteAdminsFile(join(certsDir, 'grid-security', 'site-admins')),
        }),
        ...createRepositoryServices({ store: createRedisRepositoryStore(connection), knobs: loadConfig(MYPROXY_KNOBS, {}), renewalSecret: delegationSecret }),
        ...createDelegationServices({ store: delegations, secret: delegationSecret, trust }),
        ...createAccountingServices({
          usage: createRedisUsageReader(connection),
          isAdministrator: accountingAdminsFile(join(certsDir, 'grid-security', 'accounting-admins')),
        }),
      ],
      wsdlDir: resolve(import.meta.dirname, '..', '..', 'wsdl'),
    },
    loadConfig(CONTAINER_KNOBS, {}, { port: 0, maxRequestBytes: 65_536 }),
  );
  const siteAgents = new Map<string, Service>(
    (options.sites ?? [{ name: 'alpha', slots: 2 }]).map((site) => [
      site.name,
      createSiteAgentService(
        { redis: connection, jobs, sites, logger, home, delegationSecret },
        loadConfig(SITE_KNOBS, {}, { publishIntervalSeconds: 1, ...site.knobs, name: site.name, slots: site.slots }),
      ),
    ]),
  );
  const services: Service[] = [
    container,
    ...Array.from({ length: options.brokers ?? 1 }, () =>
      createBrokerService(
        { redis: connection, jobs, sites, logger, renewal: { secret: delegationSecret, renewerDn: GRID_SERVICES_DN } },
        loadConfig(BROKER_KNOBS, {}, { retryDelayMs: 100, ...options.broker }),
      ),
    ),
    ...siteAgents.values(),
  ];
  for (const service of services) await service.start();
  const port = container.port();
  return {
    baseUrl: `https://localhost:${port}`,
    port,
    redis,
    certsDir,
    caPems,
    user: {
      certPem: readFileSync(join(certsDir, 'user', 'usercert.pem'), 'utf8'),
      keyPem: readFileSync(join(certsDir, 'user', 'userkey.pem'), 'utf8'),
      chainPems: [],
      caPems,
    },
    async stopSite(name) {
      const agent = siteAgents.get(name);
      if (!agent) throw new Error(`no site ${name} in this test grid`);
      services.splice(services.indexOf(agent), 1);
      await agent.stop();
    },
    async stop() {
      for (const service of [...services].reverse()) await service.stop();
      await brokerQueue.close();
      connection.disconnect();
      await redis.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * A site whose agent runs its jobs through a real Slurm (test/support/slurm-cluster.ts, which
 * exports SLURM_CONF for the agent's Slurm clients), polling it every 200 ms.
 */
export function slurmSite(name: string, slots: number, partition: string) {
  return { name, slots, knobs: { lrms: 'slurm', slurmPartition: partition, slurmPollMs: 200 } } as const;
}
