/**
 * The RSL parser: tokens → `RslNode`, by recursive descent over the grammar of GCT's
 * `globus_rsl_parser.y`:
 *
 *   specification := ('&' | '|' | '+') ('(' specification ')')+  |  relation
 *   relation      := string ('=' | '!=' | '<' | '<=' | '>' | '>=') value+
 *   value         := '(' value+ ')'  |  simple
 *   simple        := part ('#' part)*
 *   part          := string  |  '$' '(' simple simple? ')'     (name, optional default)
 *
 * Like Globus's scanner, an unquoted word directly followed by `$`, and a variable reference
 * directly followed by an unquoted word or `$`, are joined as if `#` stood between them
 * (`/scratch/$(USER)/out` is one value). A quoted string touching a reference is not joined:
 * `"a"$(X)` is two values in Globus too.
 *
 * Recursion is bounded by `RSL_MAX_DEPTH`, so no input can exhaust the stack.
 */
import { gramError } from '../errors.ts';
import type {
  RslBooleanOperator,
  RslLiteral,
  RslNode,
  RslRelation,
  RslRelationOperator,
  RslSimpleValue,
  RslValue,
  RslVariable,
} from './rsl-ast.ts';
import {
  describeRslLocation,
  rslSyntaxError,
  tokenizeRsl,
  type RslToken,
} from './tokenize-rsl.ts';

/** Parentheses may nest at most this deep (booleans, sequences and variable references alike). */
export const RSL_MAX_DEPTH = 32;

/**
 * Parses a Globus RSL description into its syntax tree, without evaluating variables.
 * Throws GRAM_EMPTY_DESCRIPTION for text holding only white space or comments, and
 * GRAM_RSL_SYNTAX (with `position`, `line`, `column` details) for anything malformed.
 */
export function parseRsl(text: string): RslNode {
  const tokens = tokenizeRsl(text);
  if (tokens.length === 1) {
    throw gramError(
      'GRAM_EMPTY_DESCRIPTION',
      'the job description is empty (it holds nothing but white space or comments)',
    );
  }
  return new Parser(text, tokens).parseWhole();
}

/** What a token looks like in a message: `'('`, `the word 'echo'`. */
function describe(token: RslToken): string {
  if (token.kind !== 'string') return `'${token.text}'`;
  const shown = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return token.quoted ? `the quoted string ${JSON.stringify(shown)}` : `the word '${shown}'`;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly RslToken[],
  ) {}

  parseWhole(): RslNode {
    const node = this.parseSpecification();
    const rest = this.peek();
    if (rest.kind !== 'end') {
      const stray = rest.kind === 'rparen' ? " (this ')' has no '(')" : '';
      throw this.fail(rest, `the end of the RSL${stray}`);
    }
    return node;
  }

  private peek(): RslToken {
    // The tokenizer always ends with an `end` token, and nothing consumes past it.
    return this.tokens[this.index] as RslToken;
  }

  private take(): RslToken {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private fail(found: RslToken, expected: string) {
    return rslSyntaxError(this.text, found.start, (at) =>
      found.kind === 'end'
        ? `the RSL ends at ${at} where it expected ${expected}`
        : `the RSL has ${describe(found)} at ${at} where it expected ${expected}`,
    );
  }

  /** Consumes the `(` at the cursor, refusing to nest deeper than RSL_MAX_DEPTH. */
  private open(): RslToken {
    const paren = this.take();
    if (++this.depth > RSL_MAX_DEPTH) {
      throw rslSyntaxError(
        this.text,
        paren.start,
        (at) => `the RSL nests parentheses more than ${RSL_MAX_DEPTH} deep (at ${at})`,
      );
    }
    return paren;
  }

  /** Consumes the `)` matching `paren`; `opener` and `note` only shape the error message. */
  private close(paren: RslToken, opener = "'('", note = ''): RslToken {
    const token = this.peek();
    if (token.kind !== 'rparen') {
      const where = describeRslLocation(this.text, paren.start);
      throw this.fail(token, `')' to close the ${opener} at ${where}${note}`);
    }
    this.depth--;
    return this.take();
  }

  private parseSpecification(): RslNode {
    const first = this.peek();
    if (first.kind === 'boolean') {
      this.take();
      const operands: RslNode[] = [];
      while (this.peek().kind === 'lparen') {
        const paren = this.open();
        operands.push(this.parseSpecification());
        this.close(paren);
      }
      if (operands.length === 0) {
        throw this.fail(this.peek(), `'(' after '${first.text}', e.g. &(executable=/bin/date)`);
      }
      const operator = first.text as RslBooleanOperator;
      return { kind: 'boolean', operator, operands, at: first.start };
    }
    if (first.kind === 'string') return this.parseRelation();
    if (first.kind === 'lparen' && this.depth === 0) {
      throw this.fail(first, "'&' before the first '(': a job reads &(executable=/bin/date)");
    }
    throw this.fail(first, "'&', '|', '+' or an attribute name, e.g. &(executable=/bin/date)");
  }

  private parseRelation(): RslRelation {
    const name = this.take();
    const op = this.peek();
    if (op.kind !== 'relation') {
      throw this.fail(
        op,
        `'=' (or another relation operator) after the attribute name '${name.text}'`,
      );
    }
    this.take();
    const values = this.parseValues();
    if (values.length === 0) {
      throw this.fail(this.peek(), `a value after '${name.text}${op.text}'`);
    }
    return {
      kind: 'relation',
      attribute: name.text,
      operator: op.text as RslRelationOperator,
      values,
      at: name.start,
    };
  }

  /** Values up to (not including) the `)` or end that closes the enclosing group. */
  private parseValues(): RslValue[] {
    const values: RslValue[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'rparen' || token.kind === 'end') return values;
      if (token.kind === 'lparen') {
        const paren = this.open();
        const inner = this.parseValues();
        if (inner.length === 0) throw this.fail(this.peek(), "a value inside '( )'");
        this.close(paren);
        values.push({ kind: 'sequence', values: inner, at: paren.start });
      } else if (token.kind === 'string' || token.kind === 'dollar') {
        values.push(this.parseSimple());
      } else {
        throw this.fail(token, "a value or ')'; quote values that contain operators, e.g. \"a=b\"");
      }
    }
  }

  /** One string, variable reference, or a concatenation of them (explicit `#` or implicit). */
  private parseSimple(): RslSimpleValue {
    const parts: (RslLiteral | RslVariable)[] = [];
    let last = this.parsePart();
    parts.push(last.part);
    for (;;) {
      const next = this.peek();
      if (next.kind === 'concat') {
        this.take();
        const after = this.peek();
        if (after.kind !== 'string' && after.kind !== 'dollar') {
          throw this.fail(after, "a value after '#'");
        }
      } else if (!this.joinsImplicitly(last, next)) {
        break;
      }
      last = this.parsePart();
      parts.push(last.part);
    }
    if (parts.length === 1) return parts[0] as RslLiteral | RslVariable;
    return { kind: 'concatenation', parts, at: (parts[0] as RslLiteral | RslVariable).at };
  }

  /** Globus's IMPLICIT_CONCATENATE: a `$` touching a word or `$(…)`, or a word touching `$(…)`. */
  private joinsImplicitly(last: Part, next: RslToken): boolean {
    if (next.start !== last.end) return false;
    if (next.kind === 'dollar') return !(last.part.kind === 'literal' && last.part.quoted);
    return last.part.kind === 'variable' && next.kind === 'string' && !next.quoted;
  }

  private parsePart(): Part {
    const token = this.take();
    if (token.kind === 'string') {
      const literal: RslLiteral = {
        kind: 'literal',
        text: token.text,
        quoted: token.quoted,
        at: token.start,
      };
      return { part: literal, end: token.end };
    }
    const paren = this.peek();
    if (paren.kind !== 'lparen') throw this.fail(paren, "'(' after '$', as in $(NAME)");
    this.open();
    const nameToken = this.peek();
    if (nameToken.kind !== 'string' && nameToken.kind !== 'dollar') {
      throw this.fail(nameToken, 'a variable name, as in $(NAME)');
    }
    const name = this.parseSimple();
    let fallback: RslSimpleValue | undefined;
    const next = this.peek();
    if (next.kind === 'string' || next.kind === 'dollar') fallback = this.parseSimple();
    const closing = this.close(
      token,
      "'$('",
      ' (a variable reference takes a name and at most one default value)',
    );
    const variable: RslVariable = {
      kind: 'variable',
      name,
      ...(fallback ? { fallback } : {}),
      at: token.start,
    };
    return { part: variable, end: closing.end };
  }
}

/** A parsed piece of a simple value and where its last character ends (for implicit joins). */
interface Part {
  readonly part: RslLiteral | RslVariable;
  readonly end: number;
}
