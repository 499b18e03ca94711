/**
 * The bounds that keep a matchmaking expression cheap whatever a submitter writes. Expressions
 * have no loops, recursion or string-growing operators, so their cost is bounded by their size
 * and the size of the attribute values they read; these numbers make that bound small and
 * explicit. They are documented in the broker README.
 */

/** Longest expression text accepted, in UTF-8 bytes (8 KiB). */
export const MAX_EXPRESSION_BYTES = 8 * 1024;

/**
 * Deepest nesting: parentheses, lists, function arguments, unary operators and operators applied
 * to the result of other operators all count one level. `&&` and `||` chains count once however
 * long they are.
 */
export const MAX_NESTING = 64;

/**
 * Work one evaluation may do: one step per operator, literal, attribute and call, plus one per
 * list element a function walks, plus a regular expression's estimated cost. Past it the
 * evaluation yields ERROR.
 */
export const MAX_EVALUATION_STEPS = 200_000;

/** Longest pattern `regexp()` accepts, in characters. */
export const MAX_REGEXP_PATTERN = 256;

/** Longest string `regexp()` searches, in characters; longer ones make the call ERROR. */
export const MAX_REGEXP_INPUT = 4096;

/**
 * Most backtracking work one `regexp()` call may be estimated to need (see safe-regexp.ts).
 * Measured: V8 needs about 0.15 ns per unit on hostile input, so at most ~0.15 ms a call.
 */
export const MAX_REGEXP_COST = 1_000_000;

/**
 * Input length a pattern written into an expression must be able to handle within
 * MAX_REGEXP_COST, checked at submission: patterns too costly even for short strings are
 * refused there rather than failing at every site.
 */
export const REGEXP_NOMINAL_INPUT = 64;
