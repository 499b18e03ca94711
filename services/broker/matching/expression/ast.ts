/**
 * The parsed form of an expression. Every node keeps its span in the source text so that
 * explanations can quote a clause exactly as the user wrote it.
 */
import type { Value } from './value.ts';

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%'
  | '<' | '<=' | '>' | '>=' | '==' | '!='
  | '=?=' | '=!=';

export type UnaryOperator = '!' | '-' | '+';

/** `my.X` reads the job, `other.X` the site, a bare `X` the job first and then the site. */
export type Scope = 'my' | 'other' | 'bare';

interface Span {
  /** 0-based offsets of the node's text in the source, `[start, end)`. */
  readonly start: number;
  readonly end: number;
}

export type Node =
  | (Span & { readonly kind: 'literal'; readonly value: Value })
  | (Span & { readonly kind: 'list'; readonly items: readonly Node[] })
  | (Span & {
      readonly kind: 'attribute';
      readonly scope: Scope;
      /** As written, for messages. */
      readonly name: string;
      /** Lower-cased: attribute names are case-insensitive. */
      readonly key: string;
    })
  | (Span & { readonly kind: 'unary'; readonly op: UnaryOperator; readonly operand: Node })
  | (Span & {
      readonly kind: 'binary';
      readonly op: BinaryOperator;
      readonly left: Node;
      readonly right: Node;
      /** Where the operator itself is, for messages. */
      readonly opStart: number;
    })
  /** An `&&` or `||` chain, kept flat: `a && b && c` is one node with three operands. */
  | (Span & { readonly kind: 'logical'; readonly op: '&&' | '||'; readonly operands: readonly Node[] })
  | (Span & { readonly kind: 'conditional'; readonly test: Node; readonly then: Node; readonly otherwise: Node })
  | (Span & {
      readonly kind: 'call';
      /** As written, for messages. */
      readonly name: string;
      /** Lower-cased: function names are case-insensitive. */
      readonly key: string;
      readonly args: readonly Node[];
    });
