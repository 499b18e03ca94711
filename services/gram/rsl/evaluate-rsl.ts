/**
 * RSL evaluation: replaces `$(NAME)` references and joins concatenations, the way GCT's
 * `globus_rsl_eval` does. Relations are evaluated in order, and `(rsl_substitution=(NAME
 * value))` defines NAME for the relations after it, so a reference before its definition is
 * an error. Weft predefines no names: the GT job manager's HOME, LOGNAME, … belong to the
 * site, which is not chosen yet when the description is read.
 */
import type { RslSimpleValue, RslValue } from './rsl-ast.ts';
import { readPairs, rslBadValue, type RslAttributeValue } from './read-rsl-values.ts';

/** A string after substitution, with where its value started in the source. */
export interface RslEvaluatedText {
  readonly kind: 'text';
  readonly text: string;
  readonly at: number;
}

/** A value after substitution: a string, or a parenthesised list of values. */
export type RslEvaluated =
  | RslEvaluatedText
  | { readonly kind: 'list'; readonly items: readonly RslEvaluated[]; readonly at: number };

/**
 * Each definition may double a value ($(B) = $(A)$(A), $(C) = $(B)$(B), …), so what
 * substitution produces in total is capped well before memory is at risk.
 */
export const RSL_EXPANSION_LIMIT = 1024 * 1024;

/** The variables defined so far while reading one description. */
export class RslScope {
  private readonly vars = new Map<string, string>();
  private left = RSL_EXPANSION_LIMIT;

  constructor(private readonly source: string) {}

  /** Evaluates every value of a relation; `attribute` names it in error messages. */
  evaluate(attribute: string, values: readonly RslValue[]): RslEvaluated[] {
    return values.map((value) => this.value(attribute, value));
  }

  /** Applies `(rsl_substitution=(NAME value)(NAME2 value2))` to the relations that follow. */
  define(attr: RslAttributeValue): void {
    for (const [name, value] of readPairs(attr, '(rsl_substitution=(DATA /scratch/data))')) {
      if (name.text === '') {
        throw rslBadValue(this.source, attr.name, name.at, (w) =>
          `the RSL defines a variable with an empty name at ${w}`,
        );
      }
      this.vars.set(name.text, value);
    }
  }

  private value(attribute: string, value: RslValue): RslEvaluated {
    if (value.kind === 'sequence') {
      const items = value.values.map((v) => this.value(attribute, v));
      return { kind: 'list', items, at: value.at };
    }
    return { kind: 'text', text: this.text(attribute, value), at: value.at };
  }

  private text(attribute: string, value: RslSimpleValue): string {
    if (value.kind === 'literal') return value.text;
    if (value.kind === 'concatenation') {
      return value.parts.map((part) => this.text(attribute, part)).join('');
    }
    // Names are case-sensitive, as in GCT's symbol table.
    const name = this.text(attribute, value.name);
    const found =
      this.vars.get(name) ?? (value.fallback ? this.text(attribute, value.fallback) : undefined);
    if (found === undefined) {
      throw rslBadValue(
        this.source,
        attribute,
        value.at,
        (w) =>
          `the RSL refers to $(${name}) at ${w}, but no rsl_substitution before it defines ` +
          `${name}; add (rsl_substitution=(${name} value)) earlier in the description`,
        { variable: name },
      );
    }
    this.left -= found.length;
    if (this.left < 0) {
      throw rslBadValue(this.source, attribute, value.at, (w) =>
        `the RSL's $(…) substitutions grow past ${RSL_EXPANSION_LIMIT} characters (at ${w})`,
      );
    }
    return found;
  }
}
