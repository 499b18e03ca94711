/** The broker's public surface. */
export { createBrokerService, type BrokerDeps } from './create-broker.ts';
export { BROKER_KNOBS } from './config.ts';
export { brokerError, type BrokerErrorCode } from './errors.ts';
// Execution phase: usage totals and records, read by the AccountingService (services/accounting/).
export {
  listUsage,
  readUsageTotals,
  sumUsage,
  type UsageDimension,
  type UsageScope,
  type UsageTotal,
  type UsageWindow,
} from './accounting/usage-store.ts';
export type { UsageRecord } from './accounting/usage-record.ts';
// Matchmaking: the front doors parse a job's expressions at submission (so a bad one is a fault
// with its position), and tools may evaluate or explain them.
export { parseJobExpressions, type JobExpressions } from './matching/job-expressions.ts';
export { matchSites, type MatchChoice, type MatchOptions } from './matching/match-sites.ts';
export { analyzeJob, type AnalyzeOptions, type CheckCount, type JobAnalysis, type SiteVerdict } from './matching/analyze-job.ts';
export { DEFAULT_RUN_MINUTES, chooseEconomically, estimate, type Estimate } from './matching/economics.ts';
export { parseSitePolicy, screenSite, voAdmits, type Screening } from './matching/screen-sites.ts';
export { jobAd, type MatchJob } from './matching/job-ad.ts';
export { siteAd, type MatchSite } from './matching/site-ad.ts';
export type { SiteChoice } from './matching/rank-sites.ts';
export {
  ERROR,
  EXPRESSION_LIMITS,
  FALSE,
  FUNCTIONS,
  TRUE,
  UNDEFINED,
  adFromRecord,
  describeOutcome,
  evaluate,
  explainRejection,
  matches,
  parseExpression,
  rankValue,
  requirementClauses,
  toPlain,
  unparseValue,
  type Ad,
  type AttributeInput,
  type Clause,
  type Expression,
  type MatchContext,
  type ParseOptions,
  type PlainValue,
  type Rejection,
  type Value,
} from './matching/expression/index.ts';
