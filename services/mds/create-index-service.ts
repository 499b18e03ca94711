/**
 * The index (MDS): an in-memory, indexed directory kept current from Redis, served over LDAPv3
 * by ldapjs. Start loads every live site before the port opens, so the first answer is complete.
 */
import type { ConfigOf } from '../common/config.ts';
import type { Logger } from '../common/logger.ts';
import type { RedisClient } from '../common/redis.ts';
import type { Service } from '../common/service.ts';
import type { MDS_KNOBS } from './config.ts';
import { Directory } from './directory/directory.ts';
import { createLdapServer } from './ldap/ldap-server.ts';
import { createDirectorySync } from './sync/directory-sync.ts';
import { createRedisSiteSource } from './sync/redis-site-source.ts';
import type { SiteSource } from './sync/site-source.ts';
import { namingContextEntries } from './views/naming-contexts.ts';

export interface IndexServiceDeps {
  readonly redis: RedisClient;
  readonly logger: Logger;
  /** Where sites come from; by default Redis through `redis`. */
  readonly sites?: SiteSource;
}

export interface IndexService extends Service {
  /** The LDAP port (the real one when configured as 0), once started. */
  port(): number;
  /** The directory being served, for tests and benchmarks that look inside. */
  readonly directory: Directory;
  /** Resolves once every change announced so far is visible over LDAP. */
  settled(): Promise<void>;
}

/**
 * Attributes with an equality index: what BDII clients filter on (objectClass, the GLUE2 IDs and
 * foreign keys, the Mds host name) so that a subtree search on them reads only the entries that
 * can match instead of every entry.
 */
export const INDEXED_ATTRIBUTES: readonly string[] = [
  'objectClass',
  'Mds-Host-hn',
  'Mds-Vo-name',
  'Mds-Job-Queue-name',
  'Mds-Service-Gram-schedulertype',
  'Mds-Software-tag',
  'Mds-Vo-allowed',
  'GLUE2GroupID',
  'GLUE2DomainID',
  'GLUE2ServiceID',
  'GLUE2EndpointID',
  'GLUE2ShareID',
  'GLUE2ManagerID',
  'GLUE2ResourceID',
  'GLUE2PolicyID',
  'GLUE2ApplicationEnvironmentID',
  'GLUE2ApplicationEnvironmentAppName',
  'GLUE2EntityName',
  'GLUE2ServiceAdminDomainForeignKey',
  'GLUE2EndpointServiceForeignKey',
  'GLUE2ShareServiceForeignKey',
  'GLUE2ManagerServiceForeignKey',
  'GLUE2ResourceManagerForeignKey',
  'GLUE2EndpointInterfaceName',
  'GLUE2PolicyRule',
];

export function createIndexService(deps: IndexServiceDeps, config: ConfigOf<typeof MDS_KNOBS>): IndexService {
  const logger = deps.logger.child({ service: 'mds' });
  const directory = new Directory({ indexedAttributes: INDEXED_ATTRIBUTES });
  for (const entry of namingContextEntries()) directory.put(entry);
  const sync = createDirectorySync(
    deps.sites ?? createRedisSiteSource(deps.redis, logger),
    directory,
    { resyncMs: config.resyncSeconds * 1000, view: { endpointUrl: config.endpointUrl } },
    logger,
  );
  const ldap = createLdapServer(
    directory,
    {
      host: config.host,
      port: config.port,
      maxConnections: config.maxConnections,
      idleTimeoutMs: config.idleTimeoutSeconds * 1000,
      requestTimeoutMs: config.requestTimeoutSeconds * 1000,
      sizeLimit: config.sizeLimit,
      timeLimitSeconds: config.timeLimitSeconds,
      maxFilterDepth: config.maxFilterDepth,
      maxFilterBytes: config.maxFilterBytes,
      maxMessageBytes: config.maxMessageBytes,
      maxPagedCursors: config.maxPagedSearches,
      maxPendingWriteBytes: config.maxPendingWriteBytes,
      bindDn: config.bindDn,
      bindPassword: config.bindPassword,
    },
    logger,
  );

  return {
    directory,
    async start() {
      await sync.start();
      const port = await ldap.listen();
      logger.info({ port, host: config.host, entries: directory.size }, 'index listening (LDAP)');
    },
    async stop() {
      await ldap.close();
      await sync.stop();
    },
    port: () => ldap.port(),
    settled: () => sync.settled(),
  };
}
