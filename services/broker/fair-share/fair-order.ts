/**
 * Fair share. When slots come free, the broker wakes jobs that were waiting for room; which ones
 * it wakes decides who runs next. The rule: wake first the job of the owner with the fewest jobs
 * still waiting (ties: the job that has waited longest), counting each job woken as no longer
 * waiting. One user's flood therefore cannot hold back another user's single job: the single job
 * is woken at the first slot that comes free after it arrived. Users with backlogs take turns as
 * their backlogs even out.
 */

export interface WaitingJob {
  readonly id: string;
  readonly owner: string;
  /** When it started waiting (ms); smaller waited longer. */
  readonly since: number;
}

/** The `count` waiting jobs to wake next, in order. */
export function fairOrder<T extends WaitingJob>(waiting: readonly T[], count: number): T[] {
  const byOwner = new Map<string, T[]>();
  for (const job of [...waiting].sort((a, b) => a.since - b.since)) {
    const queue = byOwner.get(job.owner) ?? [];
    queue.push(job);
    byOwner.set(job.owner, queue);
  }
  const chosen: T[] = [];
  while (chosen.length < count && byOwner.size > 0) {
    let best: T[] | undefined;
    for (const queue of byOwner.values()) {
      const head = queue[0]!;
      if (!best || queue.length < best.length || (queue.length === best.length && head.since < best[0]!.since)) best = queue;
    }
    const next = best!.shift()!;
    chosen.push(next);
    if (best!.length === 0) byOwner.delete(next.owner);
  }
  return chosen;
}
