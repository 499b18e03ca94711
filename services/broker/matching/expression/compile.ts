/**
 * AST → a tree of closures, built once per expression and run once per site. Parts that read no
 * attribute are evaluated here, once (every function is pure), so a literal list in
 * `member(other.Name, {"alpha", "beta"})` is built one time, not at every site.
 */
import type { Node } from './ast.ts';
import { EMPTY_AD } from './ad.ts';
import { charge, OUT_OF_STEPS, type Env, type Run } from './env.ts';
import { MAX_EVALUATION_STEPS } from './limits.ts';
import { FUNCTIONS } from './functions.ts';
import { and, arithmetic, compare, identical, negate, not, or, plus } from './operators.ts';
import { UNDEFINED, asBoolean, booleanValue, errorValue, listValue, type Value } from './value.ts';

interface Compiled {
  readonly run: Run;
  /** True when the node reads no attribute, so its value is the same everywhere. */
  readonly constant: boolean;
}

/** One step of the budget (charge(env, 1), written out: it runs at every node). */
function tick(env: Env): void {
  if (++env.steps > MAX_EVALUATION_STEPS) throw OUT_OF_STEPS;
}

/** Compiles a node; parse-time checks have already made sure every call is to a known function. */
export function compile(node: Node): Run {
  return compileNode(node).run;
}

function compileNode(node: Node): Compiled {
  const compiled = compileParts(node);
  if (!compiled.constant || node.kind === 'literal') return compiled;
  const env: Env = { my: EMPTY_AD, other: EMPTY_AD, steps: 0 };
  let value: Value;
  try {
    value = compiled.run(env);
  } catch (error) {
    if (error !== OUT_OF_STEPS) throw error;
    return compiled; // too big to fold: leave it to each evaluation (and its budget)
  }
  return { run: () => value, constant: true };
}

function compileParts(node: Node): Compiled {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return { run: () => value, constant: true };
    }
    case 'list': {
      const items = node.items.map(compileNode);
      const runs = items.map((item) => item.run);
      return {
        run: (env) => {
          charge(env, 1 + runs.length);
          return listValue(runs.map((run) => run(env)));
        },
        constant: items.every((item) => item.constant),
      };
    }
    case 'attribute': {
      const key = node.key;
      const run: Run =
        node.scope === 'my'
          ? (env) => (tick(env), env.my.lookup(key) ?? UNDEFINED)
          : node.scope === 'other'
            ? (env) => (tick(env), env.other.lookup(key) ?? UNDEFINED)
            : (env) => (tick(env), env.my.lookup(key) ?? env.other.lookup(key) ?? UNDEFINED);
      return { run, constant: false };
    }
    case 'unary': {
      const operand = compileNode(node.operand);
      const inner = operand.run;
      const apply = node.op === '!' ? not : node.op === '-' ? negate : plus;
      return { run: (env) => (tick(env), apply(inner(env))), constant: operand.constant };
    }
    case 'binary': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      const l = left.run;
      const r = right.run;
      const constant = left.constant && right.constant;
      const op = node.op;
      switch (op) {
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
          return { run: (env) => (tick(env), arithmetic(op, l(env), r(env))), constant };
        case '=?=':
          return { run: (env) => (tick(env), booleanValue(identical(l(env), r(env)))), constant };
        case '=!=':
          return { run: (env) => (tick(env), booleanValue(!identical(l(env), r(env)))), constant };
        default:
          return { run: (env) => (tick(env), compare(op, l(env), r(env))), constant };
      }
    }
    case 'logical': {
      const operands = node.operands.map(compileNode);
      const [head, ...rest] = operands.map((operand) => operand.run) as [Run, ...Run[]];
      const combine = node.op === '&&' ? and : or;
      return {
        run: (env) => {
          tick(env);
          let acc = head(env);
          for (const next of rest) acc = combine(acc, next, env);
          return acc;
        },
        constant: operands.every((operand) => operand.constant),
      };
    }
    case 'conditional': {
      const test = compileNode(node.test);
      const then = compileNode(node.then);
      const otherwise = compileNode(node.otherwise);
      const t = test.run;
      const a = then.run;
      const b = otherwise.run;
      return {
        run: (env) => {
          tick(env);
          const v = t(env);
          if (v.type === 'undefined' || v.type === 'error') return v;
          const choice = asBoolean(v);
          if (choice === undefined) return errorValue(`'?:' needs a boolean condition, not ${v.type}`);
          return choice ? a(env) : b(env);
        },
        constant: test.constant && then.constant && otherwise.constant,
      };
    }
    case 'call': {
      const spec = FUNCTIONS.get(node.key);
      if (!spec) throw new Error(`unknown function ${node.name} reached the compiler`);
      const args = node.args.map(compileNode);
      const runs = args.map((arg) => arg.run);
      return {
        run: (env) => (tick(env), spec.call(runs, env)),
        constant: args.every((arg) => arg.constant),
      };
    }
  }
}
