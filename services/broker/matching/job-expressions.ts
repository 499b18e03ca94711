/**
 * A job's `requirements` and `rank`, parsed. The GRAM front door calls this at submission so that
 * a bad expression is a fault with its position and nothing is stored; the broker calls it at
 * every placement and gets the parsed form from a small cache (the same job is looked at again
 * while it waits, and many jobs share their expressions).
 */
import type { JobSpec } from '../../common/job.ts';
import { parseExpression, type Expression } from './expression/expression.ts';

export interface JobExpressions {
  readonly requirements?: Expression;
  readonly rank?: Expression;
}

const CACHE_SIZE = 1000;
const cache = new Map<string, Expression>();

function parsed(text: string, label: string): Expression {
  const key = `${label}\u0000${text}`;
  let expression = cache.get(key);
  if (!expression) {
    expression = parseExpression(text, { label });
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, expression);
  }
  return expression;
}

/**
 * Parses the job's expressions that are present. Throws the parser's GridError
 * (BROKER_EXPRESSION_*) for the first one that is wrong.
 */
export function parseJobExpressions(spec: Pick<JobSpec, 'requirements' | 'rank'>): JobExpressions {
  const { requirements, rank } = spec;
  return {
    ...(requirements === undefined ? {} : { requirements: parsed(requirements, 'the requirements expression') }),
    ...(rank === undefined ? {} : { rank: parsed(rank, 'the rank expression') }),
  };
}
