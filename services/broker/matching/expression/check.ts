/**
 * The checks that run once an expression has parsed, so that mistakes surface at submission and
 * not as a job that never matches: every function exists and gets the right number of
 * arguments, every `regexp()` pattern written as a literal is safe (safe-regexp.ts), and no part
 * that reads no attribute is ERROR whatever the sites say (`1 + "a"`, `"a" < 2`).
 */
import type { Node } from './ast.ts';
import { compile } from './compile.ts';
import { FUNCTIONS, type FunctionSpec } from './functions.ts';
import { EMPTY_AD } from './ad.ts';
import { OUT_OF_STEPS } from './env.ts';
import { RegexpRefusal, checkWrittenRegexp } from './safe-regexp.ts';
import { expressionError, type Source } from './source.ts';
import type { Value } from './value.ts';

export function checkAst(source: Source, root: Node): void {
  checkCalls(source, root);
  constantValue(source, root);
}

function children(node: Node): readonly Node[] {
  switch (node.kind) {
    case 'literal':
    case 'attribute':
      return [];
    case 'list':
      return node.items;
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'logical':
      return node.operands;
    case 'conditional':
      return [node.test, node.then, node.otherwise];
    case 'call':
      return node.args;
  }
}

function arityText(spec: FunctionSpec): string {
  if (spec.maxArgs === Infinity) return `at least ${spec.minArgs}`;
  if (spec.minArgs === spec.maxArgs) return String(spec.minArgs);
  return `${spec.minArgs} or ${spec.maxArgs}`;
}

/** Edit distance, for "did you mean" on a misspelt function name (names are short). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function checkCalls(source: Source, node: Node): void {
  for (const child of children(node)) checkCalls(source, child);
  if (node.kind !== 'call') return;
  const spec = FUNCTIONS.get(node.key);
  if (!spec) {
    const known = [...FUNCTIONS.values()].map((s) => s.name);
    // Allow about one slip per three letters, so that 'strcm' finds strcmp but 'foo' finds nothing.
    const slips = Math.max(1, Math.floor(node.key.length / 3));
    const near = known.find((name) => distance(name.toLowerCase(), node.key) <= slips);
    throw expressionError(source, 'BROKER_EXPRESSION_UNKNOWN_FUNCTION', node.start, (w) =>
      `calls an unknown function '${node.name}' at ${w}` +
        (near ? ` (did you mean ${near}?)` : '') +
        `; the functions are ${known.join(', ')}`,
    );
  }
  const count = node.args.length;
  if (count < spec.minArgs || count > spec.maxArgs) {
    throw expressionError(source, 'BROKER_EXPRESSION_ARITY', node.start, (w) =>
      `calls ${spec.name}() at ${w} with ${count} argument${count === 1 ? '' : 's'}, ` +
        `but it takes ${arityText(spec)}: ${spec.signature}`,
    );
  }
  if (spec.name === 'regexp') checkRegexpLiterals(source, node.args);
}

function checkRegexpLiterals(source: Source, args: readonly Node[]): void {
  const [pattern, , options] = args;
  const literalText = (node: Node | undefined) =>
    node?.kind === 'literal' && node.value.type === 'string' ? node.value.value : undefined;
  const patternText = literalText(pattern);
  const optionsText = options === undefined ? '' : literalText(options);
  if (pattern === undefined || patternText === undefined || optionsText === undefined) return;
  try {
    checkWrittenRegexp(patternText, optionsText);
  } catch (error) {
    if (!(error instanceof RegexpRefusal)) throw error;
    const at = error.offset < 0 && options ? options : pattern;
    const where = error.offset > 0 ? ` (character ${error.offset + 1} of the pattern)` : '';
    throw expressionError(source, 'BROKER_EXPRESSION_REGEXP', at.start, (w) =>
      `has a regexp() pattern at ${w} that is refused${where}: ${error.reason}`,
    );
  }
}

/**
 * The node's value when it reads no attribute, else undefined; throws when such a part is ERROR
 * although none of its parts is (the smallest always-wrong piece, so the message points at it).
 */
function constantValue(source: Source, node: Node): Value | undefined {
  if (node.kind === 'literal') return node.value;
  if (node.kind === 'attribute') return undefined;
  const values = children(node).map((child) => constantValue(source, child));
  if (values.some((v) => v === undefined)) return undefined;
  let value: Value;
  try {
    value = compile(node)({ my: EMPTY_AD, other: EMPTY_AD, steps: 0 });
  } catch (error) {
    if (error === OUT_OF_STEPS) return undefined;
    throw error;
  }
  if (value.type === 'error' && !values.some((v) => v?.type === 'error')) {
    const reason = value.value;
    const at = node.kind === 'binary' ? node.opStart : node.start;
    const text = source.text.slice(node.start, node.end);
    throw expressionError(source, 'BROKER_EXPRESSION_ALWAYS_ERROR', at, (w) =>
      `is always ERROR in '${text}' at ${w}${reason ? `: ${reason}` : ''}`,
    );
  }
  return value;
}
