/**
 * `regexp()` runs on JavaScript's backtracking RegExp engine, which has no time limit: a
 * pattern such as `(a+)+b` takes exponential time, and even `a*a*a*b` takes seconds on a
 * 256-character string. Since submitters write the patterns and a broker evaluates them against
 * every site, each pattern is first read by this small parser, which accepts a documented
 * subset and estimates the backtracking work:
 *
 * 1. At most 256 characters; the searched string at most 4096.
 * 2. Supported: literals, `.`, classes `[a-z]` `[^0-9]`, escapes `\d \D \w \W \s \S \b \B \t \n
 *    \r \f \v` and escaped punctuation, groups `(…)` and `(?:…)`, alternation `|`, anchors `^ $`,
 *    quantifiers `* + ? {n} {n,} {n,m}` (m ≤ 1000) with an optional lazy `?`.
 * 3. Refused: back-references (`\1`, `\k<n>`), look-arounds (`(?=`, `(?!`, `(?<=`, `(?<!`),
 *    named groups, and any other escape.
 * 4. No nested repetition: a repeating quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > 1) may not
 *    apply to a group that contains a quantifier or an alternation. `(a+)+`, `(a|aa)*`,
 *    `(\w+\s?)*` are refused; `(ab)+`, `(x86_64|amd64)?` and `(a+)?` are fine.
 * 5. Estimated work ≤ MAX_REGEXP_COST, where the work for a string of length L is
 *    starts × choices × (L+1)^u: starts is 1 for a pattern that begins with `^` (without the `m`
 *    option) and L+1 otherwise, u counts unbounded quantifiers, and choices multiplies the
 *    alternatives and the range of each bounded quantifier (`?` counts 2, `{2,5}` counts 4).
 *    A pattern written in an expression must fit the limit for a 64-character string, or it is
 *    refused at submission; a call whose actual string makes it exceed the limit yields ERROR.
 *
 * With nested repetition gone, backtracking is polynomial and the estimate bounds its degree;
 * the limit keeps one call to about a tenth of a millisecond.
 */
import { MAX_REGEXP_COST, MAX_REGEXP_PATTERN, REGEXP_NOMINAL_INPUT } from './limits.ts';

export interface RegexpPlan {
  readonly regexp: RegExp;
  /** True when the pattern can match only at the start of the string. */
  readonly anchored: boolean;
  /** Product of the alternatives and bounded quantifier ranges. */
  readonly choices: number;
  /** Unbounded quantifiers on any one path through the pattern. */
  readonly unbounded: number;
}

/** Why a pattern was refused, and where (0-based offset in the pattern; -1 for the options). */
export class RegexpRefusal extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(reason);
  }
}

interface Shape {
  choices: number;
  unbounded: number;
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

const MAX_BRACE_BOUND = 1000;
const LONE_BRACE = "a '{' that does not start a quantifier like {2,5} (write \\{ for a literal brace)";
const CLASS_ESCAPES = new Set([...'dDwWsStnrfvb']);
const ATOM_ESCAPES = new Set([...'dDwWsStnrfv']);
const PUNCTUATION = new Set([...'\\^$.|?*+()[]{}/-']);

class PatternReader {
  private i = 0;
  constructor(private readonly p: string) {}

  parse(): Shape & { branches: number } {
    const shape = this.alternation();
    if (this.i < this.p.length) {
      throw new RegexpRefusal("an unmatched ')' (write \\) for a literal parenthesis)", this.i);
    }
    return shape;
  }

  private peek(offset = 0): string | undefined {
    return this.p[this.i + offset];
  }

  private alternation(): Shape & { branches: number } {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return {
      choices: branches.reduce((sum, b) => sum + b.choices, 0),
      unbounded: Math.max(...branches.map((b) => b.unbounded)),
      hasQuantifier: branches.some((b) => b.hasQuantifier),
      hasAlternation: branches.length > 1 || branches.some((b) => b.hasAlternation),
      branches: branches.length,
    };
  }

  private sequence(): Shape {
    const shape: Shape = { choices: 1, unbounded: 0, hasQuantifier: false, hasAlternation: false };
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return shape;
      const atomStart = this.i;
      const atom = this.atom();
      const quantifierStart = this.i;
      const q = this.quantifier();
      shape.hasAlternation ||= atom.shape.hasAlternation;
      shape.hasQuantifier ||= atom.shape.hasQuantifier || q !== undefined;
      if (!q) {
        shape.choices *= atom.shape.choices;
        shape.unbounded += atom.shape.unbounded;
        continue;
      }
      if (!atom.quantifiable) {
        throw new RegexpRefusal(`nothing to repeat before '${this.p.slice(quantifierStart, this.i)}'`, quantifierStart);
      }
      const repeats = q.max > 1;
      if (repeats && (atom.shape.hasQuantifier || atom.shape.hasAlternation)) {
        throw new RegexpRefusal(
          `the group at character ${atomStart + 1} is repeated by '${this.p.slice(quantifierStart, this.i)}' but ` +
            `itself holds ${atom.shape.hasQuantifier ? 'a quantifier' : 'an alternation'}; ` +
            'nested repetition such as (a+)+ or (a|b)* can take exponential time',
          quantifierStart,
        );
      }
      if (q.max === Infinity) {
        shape.choices *= atom.shape.choices;
        shape.unbounded += atom.shape.unbounded + 1;
      } else if (repeats) {
        shape.choices *= atom.shape.choices * (q.max - q.min + 1);
        shape.unbounded += atom.shape.unbounded;
      } else {
        // `?`, {0,1}: the group's own paths plus skipping it.
        shape.choices *= atom.shape.choices + (q.max > q.min ? 1 : 0);
        shape.unbounded += atom.shape.unbounded;
      }
    }
  }

  private atom(): { shape: Shape; quantifiable: boolean } {
    const plain: Shape = { choices: 1, unbounded: 0, hasQuantifier: false, hasAlternation: false };
    const simple = { shape: plain, quantifiable: true };
    const anchor = { ...simple, quantifiable: false };
    const start = this.i;
    const c = this.p[this.i++] as string;
    switch (c) {
      case '(': {
        if (this.peek() === '?') {
          if (this.peek(1) === ':') {
            this.i += 2;
          } else {
            const what = this.peek(1) === '<' && /[A-Za-z]/.test(this.peek(2) ?? '') ? 'named groups' : 'look-arounds';
            throw new RegexpRefusal(`${what} are not supported (use (…) or (?:…))`, start);
          }
        }
        const inner = this.alternation();
        if (this.peek() !== ')') {
          throw new RegexpRefusal(`the group opened at character ${start + 1} is never closed`, start);
        }
        this.i++;
        return { shape: inner, quantifiable: true };
      }
      case '[':
        this.characterClass(start);
        return simple;
      case '^':
      case '$':
        return anchor;
      case '\\':
        return this.escape(start, simple, anchor);
      case '*':
      case '+':
      case '?':
        throw new RegexpRefusal(`nothing to repeat before '${c}'`, start);
      case '{':
        throw new RegexpRefusal(LONE_BRACE, start);
      default:
        return simple;
    }
  }

  private escape<T>(start: number, simple: T, anchor: T): T {
    const e = this.p[this.i++];
    if (e === undefined) throw new RegexpRefusal('the pattern ends with a lone backslash', start);
    if (e === 'b' || e === 'B') return anchor;
    if (ATOM_ESCAPES.has(e) || PUNCTUATION.has(e)) return simple;
    if (/[0-9]/.test(e) || e === 'k') {
      throw new RegexpRefusal(`back-references such as \\${e} are not supported`, start);
    }
    throw new RegexpRefusal(`the escape \\${e} is not supported`, start);
  }

  private characterClass(start: number): void {
    if (this.peek() === '^') this.i++;
    for (;;) {
      const c = this.p[this.i++];
      if (c === undefined) {
        throw new RegexpRefusal(`the class opened at character ${start + 1} is never closed with ']'`, start);
      }
      if (c === ']') return;
      if (c === '\\') {
        const e = this.p[this.i++];
        if (e === undefined) throw new RegexpRefusal('the pattern ends with a lone backslash', this.i - 1);
        if (!CLASS_ESCAPES.has(e) && !PUNCTUATION.has(e)) {
          throw new RegexpRefusal(`the escape \\${e} is not supported in a class`, this.i - 2);
        }
      }
    }
  }

  private quantifier(): { min: number; max: number } | undefined {
    const c = this.peek();
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    if (q) {
      this.i++;
    } else if (c === '{') {
      const match = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.p.slice(this.i));
      if (!match) {
        throw new RegexpRefusal(LONE_BRACE, this.i);
      }
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      if (min > MAX_BRACE_BOUND || (max !== Infinity && max > MAX_BRACE_BOUND) || max < min) {
        const bounds = `0 ≤ n ≤ m ≤ ${MAX_BRACE_BOUND}`;
        throw new RegexpRefusal(`the quantifier ${match[0]} must have bounds ${bounds}`, this.i);
      }
      this.i += match[0].length;
      q = { min, max };
    } else {
      return undefined;
    }
    if (this.peek() === '?') this.i++; // lazy: same work bound
    return q;
  }
}

function flagsFor(options: string): { flags: string; multiline: boolean } {
  let flags = '';
  for (const [index, option] of [...options].entries()) {
    const flag = option.toLowerCase();
    if (flag !== 'i' && flag !== 'm' && flag !== 's') {
      throw new RegexpRefusal(
        `unknown option '${option}' (at ${index + 1}); ` +
          'the options are i (ignore case), m (multi-line) and s (dot matches newline)',
        -1,
      );
    }
    if (!flags.includes(flag)) flags += flag;
  }
  return { flags, multiline: flags.includes('m') };
}

/** Checks a pattern and its options against the rules above and compiles it. Throws RegexpRefusal. */
export function planRegexp(pattern: string, options = ''): RegexpPlan {
  if (pattern.length > MAX_REGEXP_PATTERN) {
    throw new RegexpRefusal(
      `the pattern is ${pattern.length} characters long, more than the ${MAX_REGEXP_PATTERN} allowed`,
      MAX_REGEXP_PATTERN,
    );
  }
  const { flags, multiline } = flagsFor(options);
  const shape = new PatternReader(pattern).parse();
  let regexp: RegExp;
  try {
    regexp = new RegExp(pattern, flags);
  } catch (error) {
    // The reader accepts a subset of what RegExp does, so this is a safety net.
    throw new RegexpRefusal(`the pattern is not a valid regular expression (${(error as Error).message})`, 0);
  }
  const anchored = pattern.startsWith('^') && !multiline && shape.branches === 1;
  return { regexp, anchored, choices: shape.choices, unbounded: shape.unbounded };
}

/** The estimated backtracking work of matching the plan against a string of `length` characters. */
export function regexpCost(plan: RegexpPlan, length: number): number {
  const starts = plan.anchored ? 1 : length + 1;
  return starts * plan.choices * (length + 1) ** plan.unbounded;
}

/** `planRegexp` plus the check that the pattern is affordable on short strings (at submission). */
export function checkWrittenRegexp(pattern: string, options = ''): RegexpPlan {
  const plan = planRegexp(pattern, options);
  const cost = regexpCost(plan, REGEXP_NOMINAL_INPUT);
  if (cost > MAX_REGEXP_COST) {
    throw new RegexpRefusal(
      `the pattern could take too long: its estimated work on a ${REGEXP_NOMINAL_INPUT}-character string is ` +
        `${Math.round(cost).toLocaleString('en')}, over the limit of ${MAX_REGEXP_COST.toLocaleString('en')} ` +
        `(it has ${plan.unbounded} unbounded repetitions${plan.anchored ? '' : ' and is not anchored with ^'}); ` +
        'use fewer *, + or {n,}, or start it with ^',
      0,
    );
  }
  return plan;
}
