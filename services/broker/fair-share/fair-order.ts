/**
 * Fair share, weighted by past usage. When slots come free the broker wakes jobs that were
 * waiting for room; which ones it wakes decides who runs next. The rule:
 *
 * 1. Each owner's **share** = their recent usage (CPU seconds of their ended jobs, decayed with a
 *    half-life, `WEFT_BROKER_FAIR_SHARE_HALF_LIFE`, usage-decay.ts) + a **charge** for each of
 *    their jobs placed and not yet ended and each job woken in this round (its expected CPU
 *    seconds: count × maxWallTime, else count × 60 minutes; expected-usage.ts).
 * 2. Wake first the job of the owner with the **smallest share**; ties go to the owner with the
 *    **fewest jobs waiting**, then to the job that has **waited longest**. Each job woken adds its
 *    charge to its owner's share and no longer counts as waiting.
 *
 * So a user who has used a lot waits behind one who has used little; a light user's single job
 * overtakes a heavy user's flood (the flood's running jobs are charged, and with nothing used or
 * running on either side the shorter backlog wins); and a heavy user still gets every slot when
 * nobody else waits. As usage decays, yesterday's heavy user is today's equal.
 */
import type { OwnerShare } from './fair-share-store.ts';

export interface WaitingJob {
  readonly id: string;
  readonly owner: string;
  /** When it started waiting (ms); smaller waited longer. */
  readonly since: number;
  /** What waking it charges its owner (expected CPU seconds). */
  readonly charge: number;
}

/** The `count` waiting jobs to wake next, in order; owners missing from `shares` have used nothing. */
export function fairOrder<T extends WaitingJob>(
  waiting: readonly T[],
  count: number,
  shares: ReadonlyMap<string, OwnerShare> = new Map(),
): T[] {
  const byOwner = new Map<string, { jobs: T[]; share: number }>();
  for (const job of [...waiting].sort((a, b) => a.since - b.since)) {
    let owner = byOwner.get(job.owner);
    if (!owner) {
      const share = shares.get(job.owner);
      owner = { jobs: [], share: (share?.usage ?? 0) + (share?.running ?? 0) };
      byOwner.set(job.owner, owner);
    }
    owner.jobs.push(job);
  }
  const chosen: T[] = [];
  while (chosen.length < count && byOwner.size > 0) {
    let best: { jobs: T[]; share: number } | undefined;
    for (const owner of byOwner.values()) {
      if (
        !best ||
        owner.share < best.share ||
        (owner.share === best.share &&
          (owner.jobs.length < best.jobs.length ||
            (owner.jobs.length === best.jobs.length && owner.jobs[0]!.since < best.jobs[0]!.since)))
      ) {
        best = owner;
      }
    }
    const next = best!.jobs.shift()!;
    chosen.push(next);
    best!.share += next.charge;
    if (best!.jobs.length === 0) byOwner.delete(next.owner);
  }
  return chosen;
}
