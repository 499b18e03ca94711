/**
 * Globus RSL for the GRAM front door: `parseRsl` gives the syntax tree of any RSL text,
 * `rslToJobSpec` reads a job description into the internal JobSpec.
 */
export { parseRsl, RSL_MAX_DEPTH } from './parse-rsl.ts';
export { rslToJobSpec, SUPPORTED_RSL_ATTRIBUTES } from './rsl-to-job-spec.ts';
export { RSL_MAX_BYTES, locateRsl, type RslLocation } from './tokenize-rsl.ts';
export type {
  RslBoolean,
  RslBooleanOperator,
  RslConcatenation,
  RslLiteral,
  RslNode,
  RslRelation,
  RslRelationOperator,
  RslSequence,
  RslSimpleValue,
  RslValue,
  RslVariable,
} from './rsl-ast.ts';
