/**
 * Logging is pino, injected. Every service receives a `Logger` and makes child loggers that
 * carry `service`, `op`, `reqId`, `jobId`, `site`, `dn`. Secrets are redacted here, in one
 * place, whatever field they hide in.
 */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Field names that may hold key material or pass phrases, at any depth we log. */
const REDACTED_PATHS = [
  'key',
  'keyPem',
  'privateKey',
  'passphrase',
  'password',
  'proxy',
  'proxyPem',
  '*.key',
  '*.keyPem',
  '*.privateKey',
  '*.passphrase',
  '*.password',
  '*.proxy',
  '*.proxyPem',
];

export interface LoggerOptions {
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  readonly level: string;
  /** Name of the process, e.g. `container`, `broker`, `site:alpha`. */
  readonly name: string;
}

/** A JSON logger on stderr (stdout stays free for a process's real output). */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    pino.destination(2),
  );
}

/** A logger that drops everything; for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
