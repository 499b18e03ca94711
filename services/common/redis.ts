/**
 * The Redis connection every Weft process uses. One adapter, so that timeouts, retry policy and
 * the options BullMQ insists on are set once.
 */
import { Redis } from 'ioredis';

export type RedisClient = Redis;

/**
 * Connects to `url` (redis://host:port/db). `maxRetriesPerRequest: null` is what BullMQ
 * workers require; commands wait for a reconnect instead of failing while Redis restarts.
 */
export function connectRedis(url: string, name: string): RedisClient {
  return new Redis(url, {
    connectionName: `weft-${name}`,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
  });
}

/** Resolves when Redis answers PING, or rejects after `timeoutMs` with the last error. */
export async function waitForRedis(client: RedisClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if ((await client.ping()) === 'PONG') return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Redis did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * A connection for a short-lived reader (a CLI command): it fails fast instead of waiting for a
 * Redis that may never come, so the person at the terminal gets an answer.
 */
export async function connectRedisForQuery(url: string, name: string, timeoutMs = 3000): Promise<RedisClient> {
  const client = new Redis(url, {
    connectionName: `weft-${name}`,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  client.on('error', () => undefined); // reported by connect() below
  await client.connect();
  return client;
}
