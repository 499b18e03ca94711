/**
 * Tokens → AST, by recursive descent with one function per precedence level (lowest first):
 *
 *   expression  := or ( '?' expression ':' expression )?
 *   or          := and ( '||' and )*
 *   and         := equality ( '&&' equality )*
 *   equality    := relational ( ( '==' | '!=' | '=?=' | '=!=' | 'is' | 'isnt' ) relational )*
 *   relational  := additive ( ( '<' | '<=' | '>' | '>=' ) additive )*
 *   additive    := term ( ( '+' | '-' ) term )*
 *   term        := unary ( ( '*' | '/' | '%' ) unary )*
 *   unary       := ( '!' | '-' | '+' ) unary | primary
 *   primary     := INTEGER | REAL | STRING | 'true' | 'false' | 'undefined' | 'error'
 *                | '(' expression ')' | '{' ( expression ( ',' expression )* )? '}'
 *                | NAME '(' ( expression ( ',' expression )* )? ')'
 *                | ( 'my' | 'other' | 'target' ) '.' NAME | NAME
 *
 * Keywords and names are case-insensitive. Nesting is bounded while parsing (MAX_NESTING), so no
 * input can exhaust the stack.
 */
import type { BinaryOperator, Node, Scope } from './ast.ts';
import { MAX_NESTING } from './limits.ts';
import { describeLocation, expressionError, type Source } from './source.ts';
import { tokenize, type Token } from './tokenize.ts';
import { ERROR, FALSE, TRUE, UNDEFINED, integerValue, realValue, stringValue } from './value.ts';

const LEVELS: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['==', '!=', '=?=', '=!=', 'is', 'isnt']),
  new Set(['<', '<=', '>', '>=']),
  new Set(['+', '-']),
  new Set(['*', '/', '%']),
];

const SCOPES: Readonly<Record<string, Scope>> = { my: 'my', other: 'other', target: 'other' };
const CONSTANTS = { true: TRUE, false: FALSE, undefined: UNDEFINED, error: ERROR } as const;

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'integer':
    case 'real':
      return `the number ${token.text}`;
    case 'string':
      return `the string "${token.text.length > 20 ? `${token.text.slice(0, 20)}…` : token.text}"`;
    case 'name':
      return `'${token.text}'`;
    case 'op':
      return `'${token.text}'`;
  }
}

/** Parses expression text into its AST. Throws BROKER_EXPRESSION_SYNTAX / _TOO_COMPLEX. */
export function parseToAst(source: Source): Node {
  return new Parser(source).parseAll();
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;
  private depth = 0;
  /** How deep each node's subtree is, for the nesting bound. */
  private readonly heights = new WeakMap<Node, number>();

  constructor(private readonly source: Source) {
    this.tokens = tokenize(source);
  }

  parseAll(): Node {
    const node = this.expression();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw this.fail(next, `expected an operator or the end of the expression, found ${describe(next)}` +
        (next.kind === 'name' || next.kind === 'string' || next.kind === 'integer' || next.kind === 'real'
          ? ' (is an operator such as && missing?)'
          : ''));
    }
    return node;
  }

  private peek(): Token {
    return this.tokens[this.at] as Token;
  }

  private previous(): Token | undefined {
    return this.tokens[this.at - 1];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at++;
    return token;
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.text === text;
  }

  private expect(text: string, context: string): Token {
    const token = this.peek();
    if (token.kind === 'op' && token.text === text) return this.next();
    throw this.fail(token, `expected '${text}' ${context}, found ${describe(token)}`);
  }

  private fail(token: Token, message: string) {
    return expressionError(this.source, 'BROKER_EXPRESSION_SYNTAX', token.start, (w) =>
      `has a syntax error at ${w}: ${message}`);
  }

  /** Enters one level of nesting, refusing to go past MAX_NESTING. */
  private enter(token: Token): void {
    if (++this.depth > MAX_NESTING) this.tooDeep(token.start);
  }

  private leave(): void {
    this.depth--;
  }

  private tooDeep(offset: number): never {
    throw expressionError(this.source, 'BROKER_EXPRESSION_TOO_COMPLEX', offset, (w) =>
      `is nested more than ${MAX_NESTING} levels deep at ${w}`);
  }

  /** Records a new node's height and checks it against the bound. */
  private made<T extends Node>(node: T, children: readonly Node[], at: number): T {
    let height = 0;
    for (const child of children) height = Math.max(height, this.heights.get(child) ?? 1);
    if (height + 1 > MAX_NESTING) this.tooDeep(at);
    this.heights.set(node, height + 1);
    return node;
  }

  private expression(): Node {
    const test = this.or();
    if (!this.isOp('?')) return test;
    const question = this.next();
    this.enter(question);
    const then = this.expression();
    this.expect(':', "after the 'then' part of 'condition ? then : else'");
    const otherwise = this.expression();
    this.leave();
    return this.made(
      { kind: 'conditional', test, then, otherwise, start: test.start, end: otherwise.end },
      [test, then, otherwise],
      question.start,
    );
  }

  private or(): Node {
    return this.logical('||', () => this.and());
  }

  private and(): Node {
    return this.logical('&&', () => this.binary(0));
  }

  private logical(op: '&&' | '||', operand: () => Node): Node {
    const first = operand();
    if (!this.isOp(op)) return first;
    const operands = [first];
    let opToken = this.peek();
    while (this.isOp(op)) {
      opToken = this.next();
      operands.push(this.operandAfter(opToken, operand));
    }
    const last = operands[operands.length - 1] as Node;
    return this.made({ kind: 'logical', op, operands, start: first.start, end: last.end }, operands, opToken.start);
  }

  /** The right operand after an operator token, with a message that names the operator when it is missing. */
  private operandAfter(opToken: Token, operand: () => Node): Node {
    const token = this.peek();
    if (token.kind === 'end' || (token.kind === 'op' && [')', '}', ',', ':', '&&', '||'].includes(token.text))) {
      throw this.fail(token, `expected an operand after '${opToken.text}', found ${describe(token)}`);
    }
    return operand();
  }

  private binaryOperator(level: ReadonlySet<string>): BinaryOperator | undefined {
    const token = this.peek();
    if (token.kind === 'op' && level.has(token.text)) return token.text as BinaryOperator;
    if (token.kind === 'name' && level.has(token.text.toLowerCase())) {
      return token.text.toLowerCase() === 'is' ? '=?=' : '=!=';
    }
    return undefined;
  }

  private binary(index: number): Node {
    const level = LEVELS[index];
    if (!level) return this.unary();
    let left = this.binary(index + 1);
    for (let op = this.binaryOperator(level); op; op = this.binaryOperator(level)) {
      const opToken = this.next();
      const right = this.operandAfter(opToken, () => this.binary(index + 1));
      left = this.made(
        { kind: 'binary', op, left, right, opStart: opToken.start, start: left.start, end: right.end },
        [left, right],
        opToken.start,
      );
    }
    return left;
  }

  private unary(): Node {
    const token = this.peek();
    if (token.kind === 'op' && (token.text === '!' || token.text === '-' || token.text === '+')) {
      this.next();
      this.enter(token);
      const operand = this.operandAfter(token, () => this.unary());
      this.leave();
      const op = token.text;
      return this.made({ kind: 'unary', op, operand, start: token.start, end: operand.end }, [operand], token.start);
    }
    return this.primary();
  }

  private primary(): Node {
    const token = this.next();
    const span = { start: token.start, end: token.end };
    switch (token.kind) {
      case 'integer':
        return { kind: 'literal', value: integerValue(Number(token.text)), ...span };
      case 'real':
        return { kind: 'literal', value: realValue(Number(token.text)), ...span };
      case 'string':
        return { kind: 'literal', value: stringValue(token.text), ...span };
      case 'name':
        return this.named(token);
      case 'op':
        if (token.text === '(') return this.parenthesized(token);
        if (token.text === '{') return this.list(token);
        break;
      case 'end':
        break;
    }
    const after = this.previous() === token ? this.tokens[this.at - 2] : this.previous();
    throw this.fail(
      token,
      'expected an operand (a number, a string, an attribute such as other.FreeCpus, a function call or a ' +
        `parenthesis)${after ? ` after '${after.text}'` : ''}, found ${describe(token)}`,
    );
  }

  private parenthesized(open: Token): Node {
    this.enter(open);
    const inner = this.expression();
    const close = this.expect(')', `to close the '(' at ${this.where(open)}`);
    this.leave();
    // The parentheses belong to the node's text, so that explanations quote them.
    const node = { ...inner, start: open.start, end: close.end };
    this.heights.set(node, this.heights.get(inner) ?? 1);
    return node;
  }

  private list(open: Token): Node {
    this.enter(open);
    const items = this.sequence('}', 'list');
    const close = this.previous() as Token;
    this.leave();
    return this.made({ kind: 'list', items, start: open.start, end: close.end }, items, open.start);
  }

  /** Comma-separated expressions up to `close` (consumed). */
  private sequence(close: string, what: string): Node[] {
    const items: Node[] = [];
    if (this.isOp(close)) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.expression());
      const token = this.peek();
      if (token.kind === 'op' && token.text === ',') {
        this.next();
        continue;
      }
      if (token.kind === 'op' && token.text === close) {
        this.next();
        return items;
      }
      throw this.fail(token, `expected ',' or '${close}' in the ${what}, found ${describe(token)}`);
    }
  }

  private named(token: Token): Node {
    const lower = token.text.toLowerCase();
    if (lower in CONSTANTS) {
      return { kind: 'literal', value: CONSTANTS[lower as keyof typeof CONSTANTS], start: token.start, end: token.end };
    }
    const scope = SCOPES[lower];
    if (scope) {
      if (!this.isOp('.')) {
        throw this.fail(
          this.peek(),
          `expected '.' and an attribute name after '${token.text}' (as in ${token.text}.Name), ` +
            `found ${describe(this.peek())}`,
        );
      }
      this.next();
      const name = this.next();
      if (name.kind !== 'name') {
        throw this.fail(name, `expected an attribute name after '${token.text}.', found ${describe(name)}`);
      }
      const key = name.text.toLowerCase();
      return { kind: 'attribute', scope, name: name.text, key, start: token.start, end: name.end };
    }
    if (lower === 'is' || lower === 'isnt') {
      throw this.fail(token, `expected an operand before '${token.text}'`);
    }
    if (this.isOp('(')) {
      const open = this.next();
      this.enter(open);
      const args = this.sequence(')', `arguments of ${token.text}()`);
      const close = this.previous() as Token;
      this.leave();
      return this.made(
        { kind: 'call', name: token.text, key: lower, args, start: token.start, end: close.end },
        args,
        token.start,
      );
    }
    return { kind: 'attribute', scope: 'bare', name: token.text, key: lower, start: token.start, end: token.end };
  }

  private where(token: Token): string {
    return describeLocation(this.source.text, token.start);
  }
}
