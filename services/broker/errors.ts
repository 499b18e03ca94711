/**
 * Every fault the broker can raise. Matchmaking expressions (`requirements`, `rank`) are parsed
 * when a job is submitted, so these reach the submitter as SOAP faults at the front door; the
 * messages say where in the expression the problem is (1-based column) and what was expected.
 */
import { errorTable } from '../common/errors.ts';

export const brokerError = errorTable({
  BROKER_EXPRESSION_SYNTAX: {
    side: 'client',
    retryable: false,
    hint:
      'Fix the expression at the column given, e.g. other.FreeCpus >= 2 && other.OpSys == "linux" ' +
      '(inside RSL, double each quote).',
  },
  BROKER_EXPRESSION_UNKNOWN_FUNCTION: {
    side: 'client',
    retryable: false,
    hint: 'Use one of the functions the broker README lists (member, regexp, strcmp, size, int, floor, ...).',
  },
  BROKER_EXPRESSION_ARITY: {
    side: 'client',
    retryable: false,
    hint: 'Give the function the number of arguments the broker README lists for it, e.g. member(x, list).',
  },
  BROKER_EXPRESSION_TOO_COMPLEX: {
    side: 'client',
    retryable: false,
    hint: 'Shorten the expression: at most 8 KiB of text and 64 levels of nesting.',
  },
  BROKER_EXPRESSION_REGEXP: {
    side: 'client',
    retryable: false,
    hint:
      'Write a simpler pattern: no nested or alternated repetition like (a+)+ or (a|b)*, ' +
      'no back-references or look-arounds, options from i, m, s.',
  },
  BROKER_EXPRESSION_ALWAYS_ERROR: {
    side: 'client',
    retryable: false,
    hint: 'Fix the types in the part named: compare numbers with numbers and strings with strings.',
  },
  // Execution phase: the broker's monitor gives up on a job that lost its site too often.
  BROKER_ATTEMPTS_EXHAUSTED: {
    side: 'server',
    retryable: true,
    hint:
      'Submit the job again later; the sites it was placed on kept going away while it ran ' +
      '(the grid administrator may raise WEFT_BROKER_MAX_ATTEMPTS).',
  },
});

export type BrokerErrorCode = keyof typeof brokerError.table;
