/** `node --import tsx services/broker/main.ts`: one broker process. */
import { loadConfig } from '../common/config.ts';
import { createRedisJobStore } from '../common/job-store.ts';
import { runProcess } from '../common/run-process.ts';
import { createRedisSiteRegistry } from '../common/site-registry.ts';
import { BROKER_KNOBS, createBrokerService } from './index.ts';

await runProcess('broker', ({ redis, logger, env }) =>
  createBrokerService(
    { redis, logger, jobs: createRedisJobStore(redis), sites: createRedisSiteRegistry(redis) },
    loadConfig(BROKER_KNOBS, env),
  ),
);
