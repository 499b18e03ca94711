/** `node --import tsx services/broker/main.ts`: one broker process. */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../common/config.ts';
import { createRedisJobStore } from '../common/job-store.ts';
import { runProcess } from '../common/run-process.ts';
import { createRedisSiteRegistry } from '../common/site-registry.ts';
import { loadDelegationSecret } from '../delegation/index.ts';
import { globusSubjectOf } from '../gsi/index.ts';
import { BROKER_KNOBS, createBrokerService } from './index.ts';

await runProcess('broker', ({ redis, logger, env, grid }) => {
  // The broker renews jobs' proxies as the grid services: the host certificate's DN is the one
  // users name in `weft myproxy-init -R`. Without a readable host certificate it only holds and warns.
  let renewal;
  try {
    const hostCert = readFileSync(env.X509_HOST_CERT ?? join(grid.certsDir, 'grid-security', 'hostcert.pem'), 'utf8');
    renewal = { secret: loadDelegationSecret(env, grid.home), renewerDn: globusSubjectOf(new X509Certificate(hostCert)) };
  } catch (error) {
    logger.warn({ err: error }, 'no host certificate: delegated proxies will not be renewed');
  }
  return createBrokerService(
    { redis, logger, jobs: createRedisJobStore(redis), sites: createRedisSiteRegistry(redis), ...(renewal ? { renewal } : {}) },
    loadConfig(BROKER_KNOBS, env),
  );
});
