/**
 * `weft site register FILE | refresh NAME | unregister NAME | list [FILTER] | show NAME`, each
 * with `-r CONTACT` (default https://localhost:8443): site administration through the
 * IndexService. Registering describes a site; jobs reach it only if a site agent consumes its
 * queue (see services/mds/README.md).
 */
import { readFile } from 'node:fs/promises';
import type { SiteInfo } from '../../mds/index.ts';
import type { CliContext } from '../cli-context.ts';
import { parseResourceContact } from '../contact.ts';
import { cliError } from '../errors.ts';
import { getSite, indexServiceUrl, querySites, refreshSite, registerSite, unregisterSite } from '../index-client.ts';
import { parseSiteFile } from '../site-file.ts';

const USAGE = 'site register FILE | refresh NAME | unregister NAME | list [FILTER] | show NAME, each with [-r CONTACT]';

function seconds(total: number): string {
  if (total < 120) return `${total}s`;
  if (total < 7200) return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(total / 3600)}h${String(Math.floor((total % 3600) / 60)).padStart(2, '0')}m`;
}

function ageOf(site: SiteInfo, now: number): number {
  const updated = Date.parse(site.updatedAt);
  return Number.isFinite(updated) ? Math.max(0, Math.round((now - updated) / 1000)) : 0;
}

/** `ok`, or `quarantined until HH:MM:SS` (UTC) while brokers give the site no new jobs. */
export function siteStatus(site: SiteInfo): string {
  if (site.quarantinedUntil === undefined) return 'ok';
  const until = new Date(site.quarantinedUntil);
  return Number.isNaN(until.getTime()) ? `quarantined until ${site.quarantinedUntil}` : `quarantined until ${until.toISOString().slice(11, 19)}`;
}

/** The table `weft site list` prints. */
export function siteTable(sites: readonly SiteInfo[], now = Date.now()): string {
  const rows = [
    ['NAME', 'LRMS', 'CPUS(TOTAL/FREE)', 'AGE', 'TTL-LEFT', 'STATUS'],
    ...sites.map((site) => [site.name, site.lrms, `${site.totalCpus}/${site.freeCpus}`, seconds(ageOf(site, now)), seconds(site.expiresInSeconds), siteStatus(site)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** What `weft site show` prints: one `key: value` line each. */
export function siteDetails(site: SiteInfo, now = Date.now()): string {
  const lines: Array<[string, unknown]> = [
    ['name', site.name],
    ['contact', site.contact],
    ['lrms', site.lrms],
    ['cpus', `${site.totalCpus} total, ${site.freeCpus} free`],
    ['jobs', `${site.runningJobs} running, ${site.waitingJobs} waiting`],
    ['memoryMB', site.memoryMB],
    ['opSys', site.opSys],
    ['arch', site.arch],
    ['tags', site.tag?.join(', ')],
    ['maxWallTimeMinutes', site.maxWallTimeMinutes],
    ['pricePerCpuHour', site.pricePerCpuHour],
    ['vos', site.vo?.join(', ')],
    ['policy', site.policy],
    ['updated', `${site.updatedAt} (${seconds(ageOf(site, now))} ago)`],
    ['ttl', `${site.ttlSeconds}s (${seconds(site.expiresInSeconds)} left)`],
    ['status', site.quarantinedUntil === undefined ? 'ok' : `${siteStatus(site)} UTC (its jobs kept failing at start)`],
  ];
  return lines.filter(([, value]) => value !== undefined && value !== '').map(([key, value]) => `${key}: ${String(value)}`).join('\n');
}

export async function site(args: readonly string[], cli: CliContext): Promise<number> {
  let contact = 'https://localhost:8443';
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '-r') {
      const value = args[i + 1];
      if (value === undefined) throw cliError('CLI_USAGE', '-r needs a contact, e.g. -r https://localhost:8443');
      contact = value;
      i += 1;
    } else {
      rest.push(args[i]!);
    }
  }
  const [action, operand, ...extra] = rest;
  const url = indexServiceUrl(parseResourceContact(contact).baseUrl);
  const one = (what: string): string => {
    if (!operand || extra.length > 0) throw cliError('CLI_USAGE', `weft site ${action} takes one ${what}`);
    return operand;
  };
  switch (action) {
    case 'register': {
      const file = one('site file');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw cliError('CLI_USAGE', `cannot read the site file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      const document = parseSiteFile(text, file);
      const info = await registerSite(url, document, await cli.credentials());
      cli.output.result(`registered ${info.name}: ${info.totalCpus} CPUs (${info.lrms}), expires in ${seconds(info.expiresInSeconds)} unless refreshed`);
      return 0;
    }
    case 'refresh': {
      const info = await refreshSite(url, one('site name'), await cli.credentials());
      cli.output.result(`refreshed ${info.name}: expires in ${seconds(info.expiresInSeconds)} unless refreshed`);
      return 0;
    }
    case 'unregister': {
      const name = one('site name');
      const removed = await unregisterSite(url, name, await cli.credentials());
      cli.output.result(removed ? `unregistered ${name}` : `${name} was not registered; nothing to remove`);
      return 0;
    }
    case 'list': {
      if (extra.length > 0) throw cliError('CLI_USAGE', 'weft site list takes at most one LDAP filter (quote it)');
      cli.output.result(siteTable(await querySites(url, operand ?? '', await cli.credentials())));
      return 0;
    }
    case 'show':
      cli.output.result(siteDetails(await getSite(url, one('site name'), await cli.credentials())));
      return 0;
    default:
      throw cliError('CLI_USAGE', action ? `weft site has no action ${action}; use ${USAGE}` : `weft site needs an action: ${USAGE}`);
  }
}
