/**
 * `weft accounting [--by user|vo|site] [--json]`: usage totals (jobs, wall and CPU seconds,
 * cost) per user DN, VO or site, as the brokers keep them. This is a grid administrator's tool:
 * it reads Redis directly (WEFT_REDIS_URL, else redis://127.0.0.1:<WEFT_REDIS_PORT>), and whoever
 * can reach Redis can read every total anyway. A per-user SOAP read path is not there yet.
 */
import { readUsageTotals, type UsageDimension } from '../../broker/index.ts';
import { loadConfig } from '../../common/config.ts';
import { GRID_KNOBS, redisUrlOf } from '../../common/grid-config.ts';
import { connectRedisForQuery } from '../../common/redis.ts';
import type { CliContext } from '../cli-context.ts';
import { cliError } from '../errors.ts';

const DIMENSIONS: readonly UsageDimension[] = ['user', 'vo', 'site'];

export async function accounting(args: readonly string[], cli: CliContext): Promise<number> {
  let by: UsageDimension = 'user';
  let json = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === '--json') json = true;
    else if (arg === '--by') {
      const value = args[(index += 1)];
      if (!DIMENSIONS.includes(value as UsageDimension)) {
        throw cliError('CLI_USAGE', `--by takes user, vo or site, not ${value === undefined ? 'nothing' : `"${value}"`}`);
      }
      by = value as UsageDimension;
    } else throw cliError('CLI_USAGE', `weft accounting does not know ${arg}`);
  }
  const url = redisUrlOf(loadConfig(GRID_KNOBS, cli.environment.env));
  let redis;
  try {
    redis = await connectRedisForQuery(url, 'cli-accounting');
  } catch (error) {
    throw cliError('CLI_UNREACHABLE', `the grid's Redis at ${url} did not answer (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    const totals = await readUsageTotals(redis, by);
    if (json) {
      cli.output.result(JSON.stringify({ by, totals }, null, 2));
      return 0;
    }
    if (totals.length === 0) {
      cli.output.result('no usage recorded yet');
      return 0;
    }
    const rows = [
      [by.toUpperCase(), 'JOBS', 'WALL_S', 'CPU_S', 'COST'],
      ...totals.map((t) => [t.name, String(t.jobs), t.wallSeconds.toFixed(1), t.cpuSeconds.toFixed(1), t.cost.toFixed(4)]),
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    cli.output.result(
      rows
        .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '))
        .join('\n'),
    );
    cli.output.result('(CPU seconds are estimated as wall seconds × slots; cost = price per CPU-hour × CPU hours)');
    return 0;
  } finally {
    redis.disconnect();
  }
}
