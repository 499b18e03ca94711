/**
 * The functions an expression may call, with their arity (checked at parse time) and meaning
 * (HTCondor's ClassAd functions, src/classad/fnCall.cpp, unless a note says otherwise). Names
 * are case-insensitive. Arguments arrive unevaluated so that `ifThenElse` evaluates only the
 * branch it takes; every other function evaluates all of its arguments.
 */
import { charge, type Env, type Run } from './env.ts';
import { MAX_REGEXP_COST, MAX_REGEXP_INPUT } from './limits.ts';
import { compare, compareExactly, compareIgnoringCase } from './operators.ts';
import { RegexpRefusal, planRegexp, regexpCost, type RegexpPlan } from './safe-regexp.ts';
import {
  FALSE,
  TRUE,
  UNDEFINED,
  asBoolean,
  asNumber,
  booleanValue,
  errorValue,
  formatReal,
  integerValue,
  realValue,
  stringValue,
  unparseValue,
  type Value,
} from './value.ts';

export interface FunctionSpec {
  /** As the README spells it. */
  readonly name: string;
  /** How to call it, for messages: `member(x, list)`. */
  readonly signature: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly call: (args: readonly Run[], env: Env) => Value;
}

/** Each argument evaluated, in order. */
function all(args: readonly Run[], env: Env): Value[] {
  return args.map((run) => run(env));
}

function first(args: readonly Run[], env: Env): Value {
  return (args[0] as Run)(env);
}

/** A value as text for the string functions: UNDEFINED and ERROR pass through as values. */
function asText(v: Value): string | Value {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'integer':
      return String(v.value);
    case 'real':
      return formatReal(v.value);
    case 'boolean':
      return v.value ? 'true' : 'false';
    case 'list':
      return unparseValue(v);
    default:
      return v;
  }
}

function mapAscii(s: string, lower: boolean): string {
  // ASCII letters only, as C's tolower/toupper and as `==` ignores case.
  return lower
    ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase())
    : s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A number read from any value, for int(), real() and rounding; UNDEFINED and ERROR pass through. */
function toNumber(v: Value, fn: string): number | Value {
  const arithmetic = asNumber(v); // integers, reals, booleans as 1 or 0
  if (arithmetic !== undefined) return arithmetic;
  switch (v.type) {
    case 'string':
      return NUMBER_TEXT.test(v.value)
        ? Number(v.value)
        : errorValue(`${fn}() cannot read ${unparseValue(v)} as a number`);
    case 'list':
      return errorValue(`${fn}() needs a number, not a list`);
    default:
      return v;
  }
}

function rounding(name: string, round: (r: number) => number): FunctionSpec {
  return {
    name,
    signature: `${name}(x)`,
    minArgs: 1,
    maxArgs: 1,
    call(args, env) {
      const v = first(args, env);
      if (v.type === 'integer') return v;
      const r = toNumber(v, name);
      return typeof r === 'number' ? integerValue(round(r)) : r;
    },
  };
}

/** C's rint: halves go to the even neighbour. */
function roundHalfEven(r: number): number {
  const nearest = Math.round(r);
  return Math.abs(r % 1) === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
}

function comparingStrings(name: string, order: (a: string, b: string) => number): FunctionSpec {
  return {
    name,
    signature: `${name}(a, b)`,
    minArgs: 2,
    maxArgs: 2,
    call(args, env) {
      const [a, b] = all(args, env) as [Value, Value];
      if (a.type === 'undefined' || b.type === 'undefined') return UNDEFINED;
      const sa = asText(a);
      const sb = asText(b);
      if (typeof sa !== 'string') return sa;
      if (typeof sb !== 'string') return sb;
      return integerValue(Math.sign(order(sa, sb)));
    },
  };
}

function changingCase(name: string, lower: boolean): FunctionSpec {
  return {
    name,
    signature: `${name}(s)`,
    minArgs: 1,
    maxArgs: 1,
    call(args, env) {
      const s = asText(first(args, env));
      return typeof s === 'string' ? stringValue(mapAscii(s, lower)) : s;
    },
  };
}

function typeTest(name: string, type: 'undefined' | 'error'): FunctionSpec {
  return {
    name,
    signature: `${name}(x)`,
    minArgs: 1,
    maxArgs: 1,
    call: (args, env) => booleanValue(first(args, env).type === type),
  };
}

/**
 * min/max over a list, as ClassAds (`min({3, 1, 2})`), or over two or more arguments
 * (`min(other.FreeCpus, 8)`, a Weft extension). An empty list or any UNDEFINED element gives
 * UNDEFINED; ERROR or a non-number gives ERROR. The winning element keeps its type.
 */
function bound(name: string, op: '<' | '>'): FunctionSpec {
  return {
    name,
    signature: `${name}(list) or ${name}(a, b, ...)`,
    minArgs: 1,
    maxArgs: Infinity,
    call(args, env) {
      let items: readonly Value[];
      if (args.length === 1) {
        const v = first(args, env);
        if (v.type === 'undefined' || v.type === 'error') return v;
        if (v.type !== 'list') return errorValue(`${name}() of one argument needs a list, not ${v.type}`);
        items = v.value;
      } else {
        items = all(args, env);
      }
      charge(env, items.length);
      let best: Value | undefined;
      let sawUndefined = false;
      for (const item of items) {
        if (item.type === 'error') return item;
        if (item.type === 'undefined') sawUndefined = true;
        else if (item.type !== 'integer' && item.type !== 'real') {
          return errorValue(`${name}() needs numbers, not ${item.type}`);
        }
        else if (best === undefined || compare(op, item, best) === TRUE) best = item;
      }
      return sawUndefined || best === undefined ? UNDEFINED : best;
    },
  };
}

// Plans for patterns seen recently: most expressions use a handful of literal patterns, and the
// same ones are evaluated against every site.
const PLAN_CACHE_SIZE = 512;
const planCache = new Map<string, RegexpPlan | RegexpRefusal>();

function cachedPlan(pattern: string, options: string): RegexpPlan | RegexpRefusal {
  const key = `${options}/${pattern}`;
  let plan = planCache.get(key);
  if (plan === undefined) {
    try {
      plan = planRegexp(pattern, options);
    } catch (error) {
      if (!(error instanceof RegexpRefusal)) throw error;
      plan = error;
    }
    if (planCache.size >= PLAN_CACHE_SIZE) planCache.clear();
    planCache.set(key, plan);
  }
  return plan;
}

const regexp: FunctionSpec = {
  name: 'regexp',
  signature: 'regexp(pattern, string[, options])',
  minArgs: 2,
  maxArgs: 3,
  call(args, env) {
    const values = all(args, env);
    for (const v of values) if (v.type === 'error') return v;
    for (const v of values) if (v.type === 'undefined') return UNDEFINED;
    const [pattern, target, options] = values as [Value, Value, Value | undefined];
    if (pattern.type !== 'string' || target.type !== 'string' || (options && options.type !== 'string')) {
      return errorValue('regexp() needs strings');
    }
    const plan = cachedPlan(pattern.value, options ? (options.value as string) : '');
    if (plan instanceof RegexpRefusal) return errorValue(`regexp(): ${plan.reason}`);
    const input = target.value;
    if (input.length > MAX_REGEXP_INPUT) {
      return errorValue(`regexp() searches strings of at most ${MAX_REGEXP_INPUT} characters`);
    }
    const cost = regexpCost(plan, input.length);
    if (cost > MAX_REGEXP_COST) return errorValue('regexp(): the pattern is too costly for a string this long');
    // One step of the budget is worth about a hundred steps of the regular expression engine.
    charge(env, 1 + Math.ceil(cost / 100));
    return booleanValue(plan.regexp.test(input));
  },
};

const SPECS: readonly FunctionSpec[] = [
  {
    name: 'member',
    signature: 'member(x, list)',
    minArgs: 2,
    maxArgs: 2,
    call(args, env) {
      const [x, list] = all(args, env) as [Value, Value];
      if (list.type === 'undefined' || x.type === 'undefined') return UNDEFINED;
      if (list.type !== 'list') return errorValue(`member() needs a list as its second argument, not ${list.type}`);
      if (x.type === 'list') return errorValue('member() looks for a single value, not a list');
      if (x.type === 'error') return x;
      charge(env, list.value.length);
      for (const item of list.value) if (compare('==', item, x) === TRUE) return TRUE;
      return FALSE;
    },
  },
  regexp,
  comparingStrings('strcmp', compareExactly),
  comparingStrings('stricmp', compareIgnoringCase),
  changingCase('toLower', true),
  changingCase('toUpper', false),
  {
    name: 'size',
    signature: 'size(list or string)',
    minArgs: 1,
    maxArgs: 1,
    call(args, env) {
      const v = first(args, env);
      if (v.type === 'undefined' || v.type === 'error') return v;
      if (v.type === 'list' || v.type === 'string') return integerValue(v.value.length);
      return errorValue(`size() needs a list or a string, not ${v.type}`);
    },
  },
  {
    name: 'int',
    signature: 'int(x)',
    minArgs: 1,
    maxArgs: 1,
    call(args, env) {
      const v = first(args, env);
      if (v.type === 'integer') return v;
      const n = toNumber(v, 'int');
      return typeof n === 'number' ? integerValue(Math.trunc(n)) : n;
    },
  },
  {
    name: 'real',
    signature: 'real(x)',
    minArgs: 1,
    maxArgs: 1,
    call(args, env) {
      const n = toNumber(first(args, env), 'real');
      return typeof n === 'number' ? realValue(n) : n;
    },
  },
  {
    name: 'string',
    signature: 'string(x)',
    minArgs: 1,
    maxArgs: 1,
    call(args, env) {
      const s = asText(first(args, env));
      return typeof s === 'string' ? stringValue(s) : s;
    },
  },
  typeTest('isUndefined', 'undefined'),
  typeTest('isError', 'error'),
  {
    name: 'ifThenElse',
    signature: 'ifThenElse(condition, then, else)',
    minArgs: 3,
    maxArgs: 3,
    call(args, env) {
      const test = first(args, env);
      if (test.type === 'undefined') return UNDEFINED;
      const b = asBoolean(test);
      if (b === undefined) {
        return test.type === 'error' ? test : errorValue(`ifThenElse() needs a boolean condition, not ${test.type}`);
      }
      return (args[b ? 1 : 2] as Run)(env);
    },
  },
  bound('min', '<'),
  bound('max', '>'),
  rounding('floor', Math.floor),
  rounding('ceiling', Math.ceil),
  rounding('ceil', Math.ceil),
  rounding('round', roundHalfEven),
];

/** Every function by lower-cased name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(
  SPECS.map((spec) => [spec.name.toLowerCase(), spec]),
);
