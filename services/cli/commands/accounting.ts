/**
 * `weft accounting [--by user|vo|site] [--from TIME] [--to TIME] [--records [N]] [--json]
 * [-r CONTACT]`: usage (jobs, wall and CPU seconds, cost) through the container's
 * AccountingService (default https://localhost:8443). An ordinary user sees their own usage
 * only; an accounting administrator (WEFT_ACCOUNTING_ADMINS) everyone's. `--records` lists the
 * usage records themselves, newest first, instead of totals.
 */
import type { UsageDimension, UsageRecord, UsageTotal } from '../../broker/index.ts';
import { accountingServiceUrl, getUsage, listUsageRecords } from '../accounting-client.ts';
import type { CliContext } from '../cli-context.ts';
import { parseResourceContact } from '../contact.ts';
import { cliError } from '../errors.ts';
import { flagValue } from '../flag-value.ts';

const DIMENSIONS: readonly UsageDimension[] = ['user', 'vo', 'site'];

/** Columns padded to their widest cell, the first left-aligned, the rest right-aligned. */
function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd())
    .join('\n');
}

/** The totals table `weft accounting` prints. */
export function totalsTable(by: UsageDimension, totals: readonly UsageTotal[]): string {
  return table([
    [by.toUpperCase(), 'JOBS', 'WALL_S', 'CPU_S', 'COST'],
    ...totals.map((t) => [t.name, String(t.jobs), t.wallSeconds.toFixed(1), t.cpuSeconds.toFixed(1), t.cost.toFixed(4)]),
  ]);
}

/** The records table `weft accounting --records` prints. */
export function recordsTable(records: readonly UsageRecord[]): string {
  return table([
    ['ENDED', 'JOB', 'OWNER', 'VO', 'SITE', 'STATE', 'WALL_S', 'CPU_S', 'COST'],
    ...records.map((r) => [r.endedAt, r.jobId, r.owner, r.vo || '-', r.site || '-', r.state, r.wallSeconds.toFixed(1), r.cpuSeconds.toFixed(1), r.cost.toFixed(4)]),
  ]);
}

export async function accounting(args: readonly string[], cli: CliContext): Promise<number> {
  let by: UsageDimension = 'user';
  let json = false;
  let contact = 'https://localhost:8443';
  let from: string | undefined;
  let to: string | undefined;
  let records: number | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--json') json = true;
    else if (arg === '--by') {
      const value = args[(index += 1)];
      if (!DIMENSIONS.includes(value as UsageDimension)) {
        throw cliError('CLI_USAGE', `--by takes user, vo or site, not ${value === undefined ? 'nothing' : `"${value}"`}`);
      }
      by = value as UsageDimension;
    } else if (arg === '-r') contact = flagValue(args, (index += 1), '-r');
    else if (arg === '--from') from = flagValue(args, (index += 1), '--from');
    else if (arg === '--to') to = flagValue(args, (index += 1), '--to');
    else if (arg === '--records') {
      const next = args[index + 1];
      records = 20;
      if (next !== undefined && /^\d+$/.test(next)) {
        records = Number(next);
        index += 1;
      }
    } else throw cliError('CLI_USAGE', `weft accounting does not know ${arg}`);
  }
  const url = accountingServiceUrl(parseResourceContact(contact).baseUrl);
  const window = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };

  if (records !== undefined) {
    const found = await listUsageRecords(url, { ...window, limit: records }, await cli.credentials());
    if (json) cli.output.result(JSON.stringify({ records: found }, null, 2));
    else cli.output.result(found.length === 0 ? 'no usage recorded yet' : recordsTable(found));
    return 0;
  }
  const usage = await getUsage(url, { ...window, groupBy: by }, await cli.credentials());
  if (json) {
    cli.output.result(JSON.stringify({ by: usage.groupBy, scope: usage.scope, ...window, totals: usage.total }, null, 2));
    return 0;
  }
  if (usage.total.length === 0) {
    cli.output.result(usage.scope === 'own' ? 'no usage of yours recorded yet' : 'no usage recorded yet');
    return 0;
  }
  cli.output.result(totalsTable(usage.groupBy, usage.total));
  cli.output.result('(CPU seconds are estimated as wall seconds × slots; cost = price per CPU-hour × CPU hours)');
  if (usage.scope === 'own') cli.output.result('(your own usage only; an accounting administrator sees everyone\'s)');
  return 0;
}
