/** The GRAM job services' public surface. */
export { createGramServices } from './create-gram-services.ts';
export type { GramDeps } from './gram-deps.ts';
export { gramError } from './errors.ts';
export { FACTORY_SERVICE, JOB_SERVICE, jobEndpoint } from './job-endpoint.ts';
export { rslToJobSpec } from './rsl/index.ts';
export {
  GT4_JOB_NAMESPACE,
  JOB_EXTENSIONS_NAMESPACE,
  JSDL_NAMESPACE,
  JSDL_POSIX_NAMESPACE,
  readJobDescription,
  type JobDescriptionFormat,
} from './description/index.ts';
export type { AnalyzeResponse } from './operations/analyze.ts';
