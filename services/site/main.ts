/** `node --import tsx services/site/main.ts`: one site agent (WEFT_SITE_NAME, WEFT_SITE_SLOTS). */
import { loadConfig } from '../common/config.ts';
import { createRedisJobStore } from '../common/job-store.ts';
import { runProcess } from '../common/run-process.ts';
import { createRedisSiteRegistry } from '../common/site-registry.ts';
import { SITE_KNOBS, createSiteAgentService } from './index.ts';

await runProcess(`site-${process.env.WEFT_SITE_NAME ?? 'alpha'}`, ({ grid, redis, logger, env }) =>
  createSiteAgentService(
    { redis, logger, home: grid.home, jobs: createRedisJobStore(redis), sites: createRedisSiteRegistry(redis) },
    loadConfig(SITE_KNOBS, env),
  ),
);
