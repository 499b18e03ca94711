/**
 * Knobs every Weft process shares: where its state lives, where Redis is, where the
 * certificates are, how much to log.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KnobTable } from './config.ts';

/** The checkout Weft runs from (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const GRID_KNOBS = {
  home: {
    env: 'WEFT_HOME',
    type: 'string',
    default: resolve(REPO_ROOT, 'var'),
    description: 'State directory: Redis data, logs, pid files, job working directories.',
  },
  redisPort: {
    env: 'WEFT_REDIS_PORT',
    type: 'int',
    default: 6390,
    min: 1,
    max: 65535,
    description: 'Port of the private redis-server that `npm start` runs.',
  },
  redisUrl: {
    env: 'WEFT_REDIS_URL',
    type: 'string',
    default: '',
    description: 'Redis to use instead (redis://host:port/db); default redis://127.0.0.1:<WEFT_REDIS_PORT>.',
  },
  certsDir: {
    env: 'WEFT_CERTS_DIR',
    type: 'string',
    default: resolve(REPO_ROOT, 'certs'),
    description: 'The dev PKI: ca/, grid-security/, user/.',
  },
  logLevel: {
    env: 'WEFT_LOG_LEVEL',
    type: 'string',
    default: 'info',
    description: 'pino log level: fatal, error, warn, info, debug, trace, silent.',
  },
} as const satisfies KnobTable;

export function redisUrlOf(config: { redisUrl: string; redisPort: number }): string {
  return config.redisUrl || `redis://127.0.0.1:${config.redisPort}`;
}
