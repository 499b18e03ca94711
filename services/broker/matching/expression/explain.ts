/**
 * Why a requirements expression rejected a site. Requirements are usually a chain of clauses
 * joined by `&&`; the clause to blame is the first one (left to right) that does not hold at the
 * site, where "holds" means true (or a non-zero number, as `&&` reads it). An expression that is
 * not an `&&` chain is one clause. This is what lets the broker say "requirement 2
 * (other.FreeCpus >= 8) rejected 2 of 2 sites".
 */
import { compile } from './compile.ts';
import type { Run } from './env.ts';
import { runBounded, type Expression, type MatchContext } from './expression.ts';
import { asBoolean, type Value } from './value.ts';

export interface Clause {
  /** 1-based position in the `&&` chain. */
  readonly index: number;
  /** The clause as written (parentheses included, surrounding space trimmed). */
  readonly text: string;
  /** 0-based offset of the clause in the expression. */
  readonly start: number;
  readonly run: Run;
}

export interface Rejection {
  readonly clause: Clause;
  /** What the clause evaluated to at the site: false, UNDEFINED, ERROR or a non-boolean. */
  readonly value: Value;
}

const clauseCache = new WeakMap<Expression, readonly Clause[]>();

/** The top-level `&&` clauses of an expression (the expression itself when it is not a chain). */
export function requirementClauses(expression: Expression): readonly Clause[] {
  let clauses = clauseCache.get(expression);
  if (!clauses) {
    const { ast, text } = expression;
    const nodes = ast.kind === 'logical' && ast.op === '&&' ? ast.operands : [ast];
    clauses = nodes.map((node, i) => ({
      index: i + 1,
      text: text.slice(node.start, node.end).trim(),
      start: node.start,
      run: nodes.length === 1 ? expression.run : compile(node),
    }));
    clauseCache.set(expression, clauses);
  }
  return clauses;
}

/** The clause that rejected this site, or undefined when the expression matches it. */
export function explainRejection(expression: Expression, context: MatchContext): Rejection | undefined {
  const whole = runBounded(expression.run, context);
  if (whole.type === 'boolean' && whole.value) return undefined;
  const clauses = requirementClauses(expression);
  const results = clauses.map((clause) => ({ clause, value: runBounded(clause.run, context) }));
  return (
    results.find(({ value }) => asBoolean(value) !== true) ??
    results.find(({ value }) => !(value.type === 'boolean' && value.value)) ??
    (results[results.length - 1] as Rejection)
  );
}

/** A clause's value in words for a reason line: "false", "undefined", "an error (division by zero)". */
export function describeOutcome(value: Value): string {
  switch (value.type) {
    case 'boolean':
      return String(value.value);
    case 'undefined':
      return 'undefined';
    case 'error':
      return value.value ? `an error (${value.value})` : 'an error';
    default:
      return `${value.type === 'integer' ? 'an' : 'a'} ${value.type}, not a boolean`;
  }
}
