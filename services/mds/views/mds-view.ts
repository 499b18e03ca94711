/**
 * The Globus MDS2-style view: under `Mds-Vo-name=local,o=grid`, one `Mds-Host-hn=<site>` entry
 * per site and one `Mds-Job-Queue-name=default` child for its queue, with the attribute names
 * MDS2 clients (grid-info-search, portals) read. Where MDS2 had no attribute for something in
 * Weft's information model, the name follows the same `Mds-<Thing>-<detail>` pattern; README.md
 * lists them all.
 */
import { makeEntry, type Entry } from '../directory/entry.ts';
import { childDn } from './dn-of.ts';
import { generalizedTime } from './ldap-time.ts';
import { MDS_VO_DN } from './naming-contexts.ts';
import { siteFigures, type SiteSnapshot } from './site-snapshot.ts';

/** The DN of a site's host entry. */
export function mdsHostDn(site: string): string {
  return childDn('Mds-Host-hn', site, MDS_VO_DN);
}

export function mdsEntries(snapshot: SiteSnapshot): Entry[] {
  const { record } = snapshot;
  const figures = siteFigures(snapshot);
  const validity = { 'Mds-validfrom': generalizedTime(figures.validFrom), 'Mds-validto': generalizedTime(figures.validTo) };
  const hostDn = mdsHostDn(record.name);
  const host = makeEntry(
    hostDn,
    {
      objectClass: ['Mds', 'MdsHost', 'MdsComputer', 'MdsCpu', 'MdsMemoryRamTotal', 'MdsOs', 'MdsService', 'MdsSite'],
      'Mds-Host-hn': record.name,
      'Mds-Service-contact': record.contact,
      'Mds-Service-Gram-schedulertype': record.lrms,
      'Mds-Cpu-Total-count': record.totalSlots,
      'Mds-Cpu-Free-count': figures.freeCpus,
      'Mds-Job-Running-count': figures.runningJobs,
      'Mds-Job-Waiting-count': figures.waitingJobs,
      'Mds-Memory-Ram-Total-sizeMB': record.memoryMB,
      'Mds-Os-name': record.opSys,
      'Mds-Computer-isa': record.arch,
      'Mds-Software-tag': record.tags,
      'Mds-Job-maxWallTime': record.maxWallTimeMinutes,
      'Mds-Price-perCpuHour': record.pricePerCpuHour,
      'Mds-Vo-allowed': record.vos,
      'Mds-Site-policy': record.policy,
      ...validity,
    },
    record.name,
  );
  const queue = makeEntry(
    childDn('Mds-Job-Queue-name', 'default', hostDn),
    {
      objectClass: ['Mds', 'MdsJobQueue', 'MdsComputerTotal', 'MdsComputerTotalFree', 'MdsGramJobQueue'],
      'Mds-Job-Queue-name': 'default',
      'Mds-Computer-Total-nodeCount': record.totalSlots,
      'Mds-Computer-Total-Free-nodeCount': figures.freeCpus,
      'Mds-Gram-Job-Queue-maxcount': record.totalSlots,
      'Mds-Gram-Job-Queue-maxrunningjobs': record.totalSlots,
      'Mds-Gram-Job-Queue-maxtime': record.maxWallTimeMinutes,
      'Mds-Gram-Job-Queue-dispatchtype': record.lrms === 'fork' ? 'immediate' : 'batch',
      'Mds-Gram-Job-Queue-jobcount': figures.totalJobs,
      ...validity,
    },
    record.name,
  );
  return [host, queue];
}
