/**
 * The state one evaluation carries: the two ads and a step counter. Each operator, attribute
 * read and call costs one step, functions that walk lists cost one per element, and a
 * `regexp()` costs its estimated work; past MAX_EVALUATION_STEPS the evaluation stops and the
 * result is ERROR.
 */
import type { Ad } from './ad.ts';
import { MAX_EVALUATION_STEPS } from './limits.ts';
import type { Value } from './value.ts';

export interface Env {
  readonly my: Ad;
  readonly other: Ad;
  steps: number;
}

/** A compiled expression (or part of one). */
export type Run = (env: Env) => Value;

/** Thrown (one shared object, no stack to capture) when an evaluation runs out of steps. */
export const OUT_OF_STEPS: { readonly outOfSteps: true } = Object.freeze({ outOfSteps: true });

export function charge(env: Env, steps: number): void {
  env.steps += steps;
  if (env.steps > MAX_EVALUATION_STEPS) throw OUT_OF_STEPS;
}
