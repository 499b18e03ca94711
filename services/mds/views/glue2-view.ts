/**
 * The GLUE 2.0 view (OGF GFD.147, LDAP rendering GFD.218), in the tree a top-level BDII
 * publishes:
 *
 *   GLUE2GroupID=grid,o=glue
 *     GLUE2DomainID=<site>                                   AdminDomain
 *       GLUE2ServiceID=<site>-cs                             ComputingService
 *         GLUE2EndpointID=<site>-ep                          ComputingEndpoint
 *           GLUE2PolicyID=<site>-ap                          AccessPolicy
 *         GLUE2ShareID=<site>-default                        ComputingShare
 *           GLUE2PolicyID=<site>-mp                          MappingPolicy
 *         GLUE2ManagerID=<site>-lrms                         ComputingManager
 *           GLUE2ApplicationEnvironmentID=<site>-ae-<tag>    ApplicationEnvironment (one a tag)
 *         GLUE2ResourceID=<site>-ee                          ExecutionEnvironment
 *
 * Attribute and class names are spelled as Debian's glue-schema (GLUE20.schema) spells them;
 * every entry lists its whole objectClass chain and carries the MUST attributes of each class.
 */
import { makeEntry, type AttributeValues, type Entry } from '../directory/entry.ts';
import { childDn } from './dn-of.ts';
import { glue2Time } from './ldap-time.ts';
import { GLUE_GROUP_DN } from './naming-contexts.ts';
import { siteFigures, type SiteSnapshot } from './site-snapshot.ts';

export interface Glue2Options {
  /** GLUE2EndpointURL: where jobs for the site are submitted (the container's job factory). */
  readonly endpointUrl: string;
}

/** GLUE 2.0's Platform_t spelling of `uname -m` names. */
const PLATFORMS: Readonly<Record<string, string>> = {
  x86_64: 'amd64', amd64: 'amd64', i386: 'i386', i686: 'i386', aarch64: 'aarch64', arm64: 'aarch64',
  ppc64le: 'powerpc', ppc64: 'powerpc', sparc64: 'sparc', ia64: 'itanium',
};

/** GLUE 2.0's OSFamily_t spelling of Node's platform names. */
const OS_FAMILIES: Readonly<Record<string, string>> = {
  linux: 'linux', darwin: 'macosx', macosx: 'macosx', win32: 'windows', windows: 'windows', sunos: 'solaris', solaris: 'solaris',
};

/** The IDs of a site's GLUE 2.0 entities; foreign keys refer to them. */
export function glue2Ids(site: string) {
  return {
    domain: site,
    service: `${site}-cs`,
    endpoint: `${site}-ep`,
    accessPolicy: `${site}-ap`,
    share: `${site}-default`,
    mappingPolicy: `${site}-mp`,
    manager: `${site}-lrms`,
    environment: `${site}-ee`,
    application: (tag: string) => `${site}-ae-${tag}`,
  };
}

/** The DN of a site's AdminDomain entry. */
export function glue2DomainDn(site: string): string {
  return childDn('GLUE2DomainID', site, GLUE_GROUP_DN);
}

const ENTITY = 'GLUE2Entity';

export function glue2Entries(snapshot: SiteSnapshot, options: Glue2Options): Entry[] {
  const { record } = snapshot;
  const site = record.name;
  const figures = siteFigures(snapshot);
  const ids = glue2Ids(site);
  const entity = (name: string): Record<string, AttributeValues> => ({
    GLUE2EntityName: name,
    GLUE2EntityCreationTime: glue2Time(figures.validFrom),
    GLUE2EntityValidity: record.ttlSeconds,
  });
  const jobs = (prefix: string): Record<string, AttributeValues> => ({
    [`${prefix}TotalJobs`]: figures.totalJobs,
    [`${prefix}RunningJobs`]: figures.runningJobs,
    [`${prefix}WaitingJobs`]: figures.waitingJobs,
  });
  const voRules = (record.vos ?? []).length > 0 ? (record.vos ?? []).map((vo) => `vo:${vo}`) : ['ALL'];
  const make = (dn: string, attributes: Record<string, AttributeValues>) => makeEntry(dn, attributes, site);

  const domainDn = glue2DomainDn(site);
  const serviceDn = childDn('GLUE2ServiceID', ids.service, domainDn);
  const endpointDn = childDn('GLUE2EndpointID', ids.endpoint, serviceDn);
  const shareDn = childDn('GLUE2ShareID', ids.share, serviceDn);
  const managerDn = childDn('GLUE2ManagerID', ids.manager, serviceDn);

  const entries = [
    make(domainDn, {
      objectClass: [ENTITY, 'GLUE2Domain', 'GLUE2AdminDomain'],
      GLUE2DomainID: ids.domain,
      ...entity(site),
      GLUE2DomainDescription: `Weft site ${site}`,
      GLUE2AdminDomainDistributed: false,
    }),
    make(serviceDn, {
      objectClass: [ENTITY, 'GLUE2Service', 'GLUE2ComputingService'],
      GLUE2ServiceID: ids.service,
      ...entity(`${site} computing service`),
      GLUE2ServiceType: 'org.weft.gram',
      GLUE2ServiceQualityLevel: 'production',
      GLUE2ServiceCapability: 'executionmanagement.jobexecution',
      GLUE2ServiceComplexity: 'endpointType=1,share=1,resource=1',
      GLUE2ServiceAdminDomainForeignKey: ids.domain,
      ...jobs('GLUE2ComputingService'),
    }),
    make(endpointDn, {
      objectClass: [ENTITY, 'GLUE2Endpoint', 'GLUE2ComputingEndpoint'],
      GLUE2EndpointID: ids.endpoint,
      ...entity(`${site} job submission`),
      GLUE2EndpointURL: options.endpointUrl,
      GLUE2EndpointCapability: 'executionmanagement.jobexecution',
      GLUE2EndpointTechnology: 'webservice',
      GLUE2EndpointInterfaceName: 'org.globus.wsgram',
      GLUE2EndpointInterfaceVersion: '4.0',
      GLUE2EndpointImplementor: 'Weft',
      GLUE2EndpointImplementationName: 'weft',
      GLUE2EndpointQualityLevel: 'production',
      GLUE2EndpointHealthState: 'ok',
      GLUE2EndpointServingState: 'production',
      GLUE2EndpointServiceForeignKey: ids.service,
      GLUE2ComputingEndpointJobDescription: 'globus:rsl',
      GLUE2ComputingEndpointComputingServiceForeignKey: ids.service,
      ...jobs('GLUE2ComputingEndpoint'),
    }),
    make(childDn('GLUE2PolicyID', ids.accessPolicy, endpointDn), {
      objectClass: [ENTITY, 'GLUE2Policy', 'GLUE2AccessPolicy'],
      GLUE2PolicyID: ids.accessPolicy,
      ...entity(`${site} access policy`),
      GLUE2PolicyScheme: 'basic',
      GLUE2PolicyRule: voRules,
      GLUE2AccessPolicyEndpointForeignKey: ids.endpoint,
    }),
    make(shareDn, {
      objectClass: [ENTITY, 'GLUE2Share', 'GLUE2ComputingShare'],
      GLUE2ShareID: ids.share,
      ...entity('default'),
      GLUE2EntityOtherInfo: [
        ...(record.pricePerCpuHour !== undefined ? [`PricePerCpuHour=${record.pricePerCpuHour}`] : []),
        ...(record.policy ? [`Policy=${record.policy}`] : []),
      ],
      GLUE2ShareServiceForeignKey: ids.service,
      GLUE2ComputingShareServingState: 'production',
      GLUE2ComputingShareMappingQueue: 'default',
      GLUE2ComputingShareMaxWallTime: record.maxWallTimeMinutes === undefined ? undefined : record.maxWallTimeMinutes * 60,
      GLUE2ComputingShareMaxMainMemory: record.memoryMB,
      GLUE2ComputingShareMaxSlotsPerJob: record.totalSlots,
      GLUE2ComputingShareFreeSlots: figures.freeCpus,
      GLUE2ComputingShareUsedSlots: snapshot.reservedSlots,
      ...jobs('GLUE2ComputingShare'),
      GLUE2ComputingShareComputingServiceForeignKey: ids.service,
      GLUE2ComputingShareComputingEndpointForeignKey: ids.endpoint,
      GLUE2ComputingShareExecutionEnvironmentForeignKey: ids.environment,
    }),
    make(childDn('GLUE2PolicyID', ids.mappingPolicy, shareDn), {
      objectClass: [ENTITY, 'GLUE2Policy', 'GLUE2MappingPolicy'],
      GLUE2PolicyID: ids.mappingPolicy,
      ...entity(`${site} mapping policy`),
      GLUE2PolicyScheme: 'basic',
      GLUE2PolicyRule: voRules,
      GLUE2MappingPolicyShareForeignKey: ids.share,
    }),
    make(managerDn, {
      objectClass: [ENTITY, 'GLUE2Manager', 'GLUE2ComputingManager'],
      GLUE2ManagerID: ids.manager,
      ...entity(`${site} ${record.lrms}`),
      GLUE2ManagerProductName: record.lrms || 'unknown',
      GLUE2ManagerServiceForeignKey: ids.service,
      GLUE2ComputingManagerTotalSlots: record.totalSlots,
      GLUE2ComputingManagerTotalLogicalCPUs: record.totalSlots,
      GLUE2ComputingManagerSlotsUsedByGridJobs: snapshot.reservedSlots,
      GLUE2ComputingManagerComputingServiceForeignKey: ids.service,
    }),
    ...(record.tags ?? []).map((tag) =>
      make(childDn('GLUE2ApplicationEnvironmentID', ids.application(tag), managerDn), {
        objectClass: [ENTITY, 'GLUE2ApplicationEnvironment'],
        GLUE2ApplicationEnvironmentID: ids.application(tag),
        ...entity(tag),
        GLUE2ApplicationEnvironmentAppName: tag,
        GLUE2ApplicationEnvironmentState: 'installednotverified',
        GLUE2ApplicationEnvironmentComputingManagerForeignKey: ids.manager,
        GLUE2ApplicationEnvironmentExecutionEnvironmentForeignKey: ids.environment,
      }),
    ),
    make(childDn('GLUE2ResourceID', ids.environment, serviceDn), {
      objectClass: [ENTITY, 'GLUE2Resource', 'GLUE2ExecutionEnvironment'],
      GLUE2ResourceID: ids.environment,
      ...entity(`${site} nodes`),
      GLUE2ResourceManagerForeignKey: ids.manager,
      GLUE2ExecutionEnvironmentPlatform: PLATFORMS[(record.arch ?? '').toLowerCase()] ?? (record.arch || 'unknown'),
      GLUE2ExecutionEnvironmentMainMemorySize: record.memoryMB ?? 0,
      GLUE2ExecutionEnvironmentOSFamily: OS_FAMILIES[(record.opSys ?? '').toLowerCase()] ?? (record.opSys || 'unknown'),
      GLUE2ExecutionEnvironmentConnectivityIn: false,
      GLUE2ExecutionEnvironmentConnectivityOut: true,
      GLUE2ExecutionEnvironmentLogicalCPUs: record.totalSlots,
      GLUE2ExecutionEnvironmentTotalInstances: 1,
      GLUE2ExecutionEnvironmentComputingManagerForeignKey: ids.manager,
    }),
  ];
  return entries;
}
