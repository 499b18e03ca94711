/** `node --import tsx services/container/main.ts`: the grid container on HTTPS. */
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { ACCOUNTING_KNOBS, accountingAdminsFile, createAccountingServices, createRedisUsageReader } from '../accounting/index.ts';
import { loadConfig } from '../common/config.ts';
import { REPO_ROOT } from '../common/grid-config.ts';
import { createRedisJobStore } from '../common/job-store.ts';
import { BROKER_QUEUE, QUEUE_PREFIX } from '../common/redis-keys.ts';
import { runProcess } from '../common/run-process.ts';
import { createRedisSiteRegistry } from '../common/site-registry.ts';
import { createDelegationServices, createRedisDelegationStore, loadDelegationSecret } from '../delegation/index.ts';
import { createGramServices } from '../gram/index.ts';
import { createRedisReplayCache, loadTrustStore } from '../gsi/index.ts';
import { INDEX_SERVICE_KNOBS, createIndexServices, createParentIndex, createRedisRegistrationStore, siteAdminsFile } from '../mds/index.ts';
import { MYPROXY_KNOBS, createRedisRepositoryStore, createRepositoryServices } from '../myproxy/index.ts';
import { CONTAINER_KNOBS, createContainerService } from './index.ts';
import { wssecReplayKey } from './message-identity.ts';

async function readCaPems(certDir: string): Promise<string[]> {
  const files = (await readdir(certDir)).filter((file) => /^[0-9a-f]{8}\.\d+$/.test(file));
  return Promise.all(files.map((file) => readFile(join(certDir, file), 'utf8')));
}

await runProcess('container', async ({ grid, redis, logger, env }) => {
  const gridSecurity = join(grid.certsDir, 'grid-security');
  const certDir = env.X509_CERT_DIR ?? join(gridSecurity, 'certificates');
  const brokerQueue = new Queue(BROKER_QUEUE, { connection: redis, prefix: QUEUE_PREFIX });
  const index = loadConfig(INDEX_SERVICE_KNOBS, env);
  // Forwards to a parent index go with the container's host credentials (registration/parent-index.ts).
  const parent = index.parent
    ? createParentIndex({
        contact: index.parent,
        certPem: await readFile(env.X509_HOST_CERT ?? join(gridSecurity, 'hostcert.pem'), 'utf8'),
        keyPem: await readFile(env.X509_HOST_KEY ?? join(gridSecurity, 'hostkey.pem'), 'utf8'),
        caPems: await readCaPems(certDir),
        wsdlDir: resolve(REPO_ROOT, 'wsdl'),
        logger,
      })
    : undefined;
  const trust = await loadTrustStore(certDir);
  const delegations = createRedisDelegationStore(redis);
  const delegationSecret = loadDelegationSecret(env, grid.home);
  const container = createContainerService(
    {
      logger,
      trust,
      replay: createRedisReplayCache(redis, wssecReplayKey),
      hostCertPem: await readFile(env.X509_HOST_CERT ?? join(gridSecurity, 'hostcert.pem'), 'utf8'),
      hostKeyPem: await readFile(env.X509_HOST_KEY ?? join(gridSecurity, 'hostkey.pem'), 'utf8'),
      caPems: await readCaPems(certDir),
      services: [
        ...createGramServices({ jobs: createRedisJobStore(redis), brokerQueue, sites: createRedisSiteRegistry(redis), delegations }),
        ...createIndexServices({
          store: createRedisRegistrationStore(redis, logger),
          checkSiteAdmin: siteAdminsFile(index.siteAdmins || join(gridSecurity, 'site-admins')),
          ...(parent ? { parent } : {}),
        }),
        ...createRepositoryServices({ store: createRedisRepositoryStore(redis), knobs: loadConfig(MYPROXY_KNOBS, env), renewalSecret: delegationSecret }),
        ...createDelegationServices({ store: delegations, secret: delegationSecret, trust }),
        ...createAccountingServices({
          usage: createRedisUsageReader(redis),
          isAdministrator: accountingAdminsFile(loadConfig(ACCOUNTING_KNOBS, env).admins || join(gridSecurity, 'accounting-admins')),
        }),
      ],
      wsdlDir: resolve(REPO_ROOT, 'wsdl'),
    },
    loadConfig(CONTAINER_KNOBS, env),
  );
  return {
    start: () => container.start(),
    async stop() {
      await container.stop();
      await parent?.settled();
      await brokerQueue.close();
    },
  };
});
