/**
 * The language's entry points: parse once (at submission, so errors reach the submitter with
 * their position), then evaluate against as many sites as there are.
 */
import type { Ad } from './ad.ts';
import type { Node } from './ast.ts';
import { checkAst } from './check.ts';
import { compile } from './compile.ts';
import { OUT_OF_STEPS, type Env, type Run } from './env.ts';
import { MAX_EVALUATION_STEPS, MAX_EXPRESSION_BYTES } from './limits.ts';
import { parseToAst } from './parse.ts';
import { expressionError, type Source } from './source.ts';
import { asNumber, errorValue, type Value } from './value.ts';

/** A parsed, checked and compiled expression. */
export interface Expression {
  /** The text as written. */
  readonly text: string;
  readonly ast: Node;
  /** How messages name it, e.g. "the requirements expression". */
  readonly label: string;
  /** The compiled form; use `evaluate`. */
  readonly run: Run;
}

/** What an expression is evaluated against: the job (`my`) and one site (`other`). */
export interface MatchContext {
  readonly my: Ad;
  readonly other: Ad;
}

export interface ParseOptions {
  /** How error messages name the expression; default "the expression". */
  readonly label?: string;
}

/**
 * Parses and checks an expression. Throws a GridError: BROKER_EXPRESSION_SYNTAX (with the
 * 1-based column in the message and `position`, `line`, `column` in its details),
 * BROKER_EXPRESSION_TOO_COMPLEX, BROKER_EXPRESSION_UNKNOWN_FUNCTION, BROKER_EXPRESSION_ARITY,
 * BROKER_EXPRESSION_REGEXP or BROKER_EXPRESSION_ALWAYS_ERROR.
 */
export function parseExpression(text: string, options: ParseOptions = {}): Expression {
  const source: Source = { text, label: options.label ?? 'the expression' };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_EXPRESSION_BYTES) {
    throw expressionError(source, 'BROKER_EXPRESSION_TOO_COMPLEX', MAX_EXPRESSION_BYTES, () =>
      `is ${bytes} bytes long, more than the ${MAX_EXPRESSION_BYTES} bytes (8 KiB) allowed`,
    );
  }
  if (text.trim() === '') {
    throw expressionError(source, 'BROKER_EXPRESSION_SYNTAX', 0, () => 'is empty; leave the attribute out instead');
  }
  const ast = parseToAst(source);
  checkAst(source, ast);
  return { text, ast, label: source.label, run: compile(ast) };
}

/** Runs a compiled expression (or clause) with its own step budget; never throws. */
export function runBounded(run: Run, context: MatchContext): Value {
  const env: Env = { my: context.my, other: context.other, steps: 0 };
  try {
    return run(env);
  } catch (error) {
    if (error === OUT_OF_STEPS) return errorValue(`the evaluation needed more than ${MAX_EVALUATION_STEPS} steps`);
    throw error;
  }
}

/** The expression's value for this job and site. Never throws: problems are ERROR. */
export function evaluate(expression: Expression, context: MatchContext): Value {
  return runBounded(expression.run, context);
}

/** Whether the expression is exactly `true`: UNDEFINED, ERROR, false and non-booleans do not match. */
export function matches(expression: Expression, context: MatchContext): boolean {
  const v = evaluate(expression, context);
  return v.type === 'boolean' && v.value;
}

/**
 * The expression as a rank: integers and reals as they are, booleans as 1 and 0 (as ClassAds
 * promote them in arithmetic, so `rank = other.OpSys == "linux"` prefers Linux sites), and
 * everything else — UNDEFINED, ERROR, strings, lists — as 0.
 */
export function rankValue(expression: Expression, context: MatchContext): number {
  return asNumber(evaluate(expression, context)) ?? 0;
}
