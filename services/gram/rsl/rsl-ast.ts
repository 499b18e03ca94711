/**
 * The syntax tree of a Globus GT2/GT5 RSL job description, as `parseRsl` builds it. It mirrors
 * the grammar of GCT's `globus_rsl_parser.y`: a specification is either a boolean (`&`, `|`,
 * `+`) over parenthesised specifications, or one relation `attribute op value…`.
 *
 * Nothing is evaluated here: variable references and concatenations stay as written, so the
 * tree can be shown back to the user or checked before `rsl_substitution` is applied.
 * Every node carries `at`, the 0-based offset in the source text where it starts; pass it to
 * `locateRsl` for a line and column.
 */

/** `&` (conjunction: one job), `|` (disjunction), `+` (multi-request: several jobs). */
export type RslBooleanOperator = '&' | '|' | '+';

/** The infix operators of a relation; a job attribute only ever takes `=`. */
export type RslRelationOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A string as written: an unquoted word, or what is inside a `"…"`, `'…'` or `^X…X` quote. */
export interface RslLiteral {
  readonly kind: 'literal';
  /** The text with quotes removed and doubled delimiters collapsed (`""` → `"`). */
  readonly text: string;
  /** Whether it was quoted: `$(x)` inside quotes is plain text, outside it is a reference. */
  readonly quoted: boolean;
  readonly at: number;
}

/** A parenthesised list of values, e.g. one `(NAME value)` pair of `environment`. */
export interface RslSequence {
  readonly kind: 'sequence';
  readonly values: readonly RslValue[];
  readonly at: number;
}

/** `$(NAME)` or `$(NAME default)`: replaced by an `rsl_substitution` definition when evaluated. */
export interface RslVariable {
  readonly kind: 'variable';
  /** Usually a literal, but Globus lets the name itself be built by concatenation. */
  readonly name: RslSimpleValue;
  /** Used when nothing defines the name (GCT's `globus_rsl_value_variable_get_default`). */
  readonly fallback?: RslSimpleValue;
  readonly at: number;
}

/** `a#b`, or the implicit joins Globus makes in `/path/$(X)` and `$(X)/rest`. */
export interface RslConcatenation {
  readonly kind: 'concatenation';
  /** Two or more literals and variable references, joined left to right. */
  readonly parts: readonly (RslLiteral | RslVariable)[];
  readonly at: number;
}

/** What may stand where one string is expected. */
export type RslSimpleValue = RslLiteral | RslVariable | RslConcatenation;

/** One element of a relation's value sequence. */
export type RslValue = RslSimpleValue | RslSequence;

/** `(attribute op value value …)`: the attribute name is kept exactly as written. */
export interface RslRelation {
  readonly kind: 'relation';
  readonly attribute: string;
  readonly operator: RslRelationOperator;
  /** Never empty: the grammar requires at least one value after the operator. */
  readonly values: readonly RslValue[];
  readonly at: number;
}

/** `&(…)(…)`, `|(…)(…)` or `+(…)(…)`, with at least one operand. */
export interface RslBoolean {
  readonly kind: 'boolean';
  readonly operator: RslBooleanOperator;
  readonly operands: readonly RslNode[];
  readonly at: number;
}

/** A whole RSL specification, or one operand of a boolean. */
export type RslNode = RslBoolean | RslRelation;
