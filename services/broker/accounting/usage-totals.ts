/** Reads the running usage totals (what `weft accounting` prints). */
import type { RedisClient } from '../../common/redis.ts';
import { usageTotalsKey } from '../../common/redis-keys.ts';

export type UsageDimension = 'user' | 'vo' | 'site';

export interface UsageTotal {
  readonly name: string;
  readonly jobs: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly cost: number;
}

/** Totals in one dimension, most costly first (then by name). */
export async function readUsageTotals(redis: RedisClient, by: UsageDimension): Promise<UsageTotal[]> {
  const [jobs, wall, cpu, cost] = await Promise.all(
    (['jobs', 'wallSeconds', 'cpuSeconds', 'cost'] as const).map((measure) => redis.hgetall(usageTotalsKey(by, measure))),
  );
  const round = (value: string | undefined) => Math.round(Number(value ?? 0) * 1e6) / 1e6;
  return Object.keys(jobs ?? {})
    .map((name) => ({
      name,
      jobs: Number(jobs?.[name] ?? 0),
      wallSeconds: round(wall?.[name]),
      cpuSeconds: round(cpu?.[name]),
      cost: round(cost?.[name]),
    }))
    .sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name));
}
