/**
 * Recent usage with exponential decay, as Slurm's PriorityDecayHalfLife: CPU seconds used
 * `halfLife` ago count half, twice that ago a quarter. Kept as one value and the time it was
 * last brought up to date, so adding and reading are O(1): decay the stored value to now, then
 * add. The same arithmetic runs in Lua (fair-share-store.ts) where the value is updated.
 */

/** A decayed value as stored: the value at `atMs`. */
export interface DecayedValue {
  readonly value: number;
  readonly atMs: number;
}

/** `value` as it stands at `nowMs` (a clock that went back counts as no time passed). */
export function decayedTo(stored: DecayedValue, nowMs: number, halfLifeSeconds: number): number {
  const elapsed = Math.max(0, nowMs - stored.atMs);
  return stored.value * 2 ** (-elapsed / (halfLifeSeconds * 1000));
}

/** The stored value after adding `amount` at `nowMs`. */
export function addDecayed(stored: DecayedValue | undefined, amount: number, nowMs: number, halfLifeSeconds: number): DecayedValue {
  return { value: (stored ? decayedTo(stored, nowMs, halfLifeSeconds) : 0) + amount, atMs: nowMs };
}

/** Reads `<value> <at ms>` as stored in Redis; undefined for anything else. */
export function parseDecayed(text: string | null | undefined): DecayedValue | undefined {
  const match = /^(\S+) (\d+)$/.exec(text ?? '');
  if (!match) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? { value, atMs: Number(match[2]) } : undefined;
}
