/**
 * The matchmaking expression language (Condor ClassAd style): parse once at submission, evaluate
 * against each site. The broker README is the language reference.
 */
export {
  evaluate,
  matches,
  parseExpression,
  rankValue,
  type Expression,
  type MatchContext,
  type ParseOptions,
} from './expression.ts';
export { describeOutcome, explainRejection, requirementClauses, type Clause, type Rejection } from './explain.ts';
export { EMPTY_AD, adFromRecord, toValue, type Ad, type AttributeInput } from './ad.ts';
export {
  ERROR,
  FALSE,
  TRUE,
  UNDEFINED,
  toPlain,
  unparseValue,
  type PlainValue,
  type Value,
  type ValueType,
} from './value.ts';
export { FUNCTIONS, type FunctionSpec } from './functions.ts';
export * as EXPRESSION_LIMITS from './limits.ts';
