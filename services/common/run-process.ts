/**
 * The shape of every Weft daemon's main: load the shared config, connect to Redis, start the
 * service, and stop it cleanly on SIGINT/SIGTERM. A start failure prints one line saying what
 * to do and exits non-zero.
 */
import { loadConfig, type ConfigOf } from './config.ts';
import { isGridError } from './errors.ts';
import { GRID_KNOBS, redisUrlOf } from './grid-config.ts';
import { createLogger, type Logger } from './logger.ts';
import { connectRedis, waitForRedis, type RedisClient } from './redis.ts';
import type { Service } from './service.ts';

export interface ProcessEnvironment {
  readonly grid: ConfigOf<typeof GRID_KNOBS>;
  readonly redis: RedisClient;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
}

export async function runProcess(
  name: string,
  build: (environment: ProcessEnvironment) => Promise<Service> | Service,
): Promise<void> {
  let logger: Logger | undefined;
  try {
    const grid = loadConfig(GRID_KNOBS, process.env);
    logger = createLogger({ name, level: grid.logLevel });
    const redis = connectRedis(redisUrlOf(grid), name);
    redis.on('error', (error) => logger?.warn({ err: error }, 'redis connection problem'));
    await waitForRedis(redis, 15_000);
    const service = await build({ grid, redis, logger, env: process.env });
    await service.start();
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger?.info({ signal }, 'stopping');
      await service.stop().catch((error: unknown) => logger?.error({ err: error }, 'stop failed'));
      redis.disconnect();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    const text = isGridError(error) ? `${error.code}: ${error.message}. ${error.hint}` : String(error);
    if (logger) logger.fatal({ err: error }, 'could not start');
    process.stderr.write(`weft ${name}: could not start: ${text}\n`);
    process.exit(1);
  }
}
