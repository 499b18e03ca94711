/**
 * Every fault the GRAM job services can raise. Messages finish the sentence
 * "the job failed because …"; hints say what to do. `gramProtocolCode` is the classic
 * GLOBUS_GRAM_PROTOCOL_ERROR_* number where GT2/GT5 has one, so grid users can look it up.
 * Numbers checked against GCT's globus_gram_protocol_constants.h and the message table in
 * gram/protocol/source/globus_gram_protocol_error.c (gridcf/gct).
 */
import { errorTable } from '../common/errors.ts';

export const gramError = errorTable({
  GRAM_RSL_SYNTAX: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 48, // GLOBUS_GRAM_PROTOCOL_ERROR_BAD_RSL
    hint: 'Fix the RSL at the position given, e.g. &(executable=/bin/echo)(arguments=hello).',
  },
  GRAM_RSL_UNKNOWN_ATTRIBUTE: {
    side: 'client',
    retryable: false,
    // What the GT5 job manager answers for an attribute missing from its validation file
    // (globus_gram_job_manager_validate.c); was 36 (UNSUPPORTED_PARAMETER), same meaning.
    gramProtocolCode: 1, // GLOBUS_GRAM_PROTOCOL_ERROR_PARAMETER_NOT_SUPPORTED
    hint: 'Remove the attribute or correct its spelling; the README lists the supported ones.',
  },
  GRAM_RSL_BAD_VALUE: {
    side: 'client',
    retryable: false,
    // GT has one number per attribute (RSL_COUNT = 51, …); 39 fits the undefined $(VAR) case.
    gramProtocolCode: 39, // GLOBUS_GRAM_PROTOCOL_ERROR_RSL_EVALUATION_FAILED
    hint: 'Give the attribute a value of the kind it takes (a positive whole number for count).',
  },
  GRAM_RSL_MISSING_EXECUTABLE: {
    side: 'client',
    retryable: false,
    // GT5 answers a missing executable with UNDEFINED_EXE (globus_gram_job_manager_validate.c);
    // was 55, RSL_EXECUTABLE, which means the executable value is malformed.
    gramProtocolCode: 81, // GLOBUS_GRAM_PROTOCOL_ERROR_UNDEFINED_EXE
    hint: 'Add (executable=/path/to/program) to the job description.',
  },
  GRAM_EMPTY_DESCRIPTION: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 42, // GLOBUS_GRAM_PROTOCOL_ERROR_ZERO_LENGTH_RSL
    hint: 'Send a job description such as &(executable=/bin/hostname).',
  },
  GRAM_JOB_NOT_FOUND: {
    side: 'client',
    retryable: false,
    hint: 'Check the job contact; jobs are forgotten after they are destroyed or expire.',
  },
  GRAM_EXECUTABLE_NOT_FOUND: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 5, // GLOBUS_GRAM_PROTOCOL_ERROR_EXECUTABLE_NOT_FOUND
    hint: 'Give the full path of a program that exists and is executable on the site.',
  },
  GRAM_JOB_EXECUTION_FAILED: {
    side: 'server',
    retryable: false,
    gramProtocolCode: 17, // GLOBUS_GRAM_PROTOCOL_ERROR_JOB_EXECUTION_FAILED
    hint: 'Look at the job stderr and the site log; the site could not start the program.',
  },
  GRAM_JOB_CANCELLED: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 8, // GLOBUS_GRAM_PROTOCOL_ERROR_USER_CANCELLED
    hint: 'Submit the job again if you still need it.',
  },
  GRAM_WALLTIME_EXCEEDED: {
    side: 'client',
    retryable: false,
    // No GT number: 13 (INVALID_MAXTIME) means "the RSL 'maxtime' value is not an integer",
    // not that a job ran past its limit, and GT has no code for that.
    hint: 'Ask for a longer (maxWallTime=minutes) or make the job shorter.',
  },
  GRAM_STORE_UNAVAILABLE: {
    side: 'server',
    retryable: true,
    hint: 'The grid cannot reach its Redis store; try again shortly, or ask the operator to start Redis.',
  },
  GRAM_DESCRIPTION_FORMAT: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 48, // GLOBUS_GRAM_PROTOCOL_ERROR_BAD_RSL
    hint:
      'Send Globus RSL (&(executable=/bin/echo)), a GT4 job description (<job> in ' +
      'http://www.globus.org/namespaces/2004/10/gram/job/description) or a JSDL 1.0 <JobDefinition>.',
  },
  // The XML front doors (description/): GT4 job descriptions and JSDL 1.0.
  GRAM_DESCRIPTION_MALFORMED: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 48, // GLOBUS_GRAM_PROTOCOL_ERROR_BAD_RSL
    hint: 'Fix the XML at the line and column given; every element must be closed and every prefix declared.',
  },
  GRAM_DESCRIPTION_DTD_FORBIDDEN: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 48, // GLOBUS_GRAM_PROTOCOL_ERROR_BAD_RSL
    hint: 'Remove the DOCTYPE or ENTITY declaration; job descriptions never need one.',
  },
  GRAM_DESCRIPTION_TOO_LARGE: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 48, // GLOBUS_GRAM_PROTOCOL_ERROR_BAD_RSL
    hint: 'Send a smaller, flatter job description (at most 64 KiB and 16 elements deep).',
  },
  GRAM_DESCRIPTION_UNSUPPORTED_ELEMENT: {
    side: 'client',
    retryable: false,
    // The same meaning as GRAM_RSL_UNKNOWN_ATTRIBUTE, for an XML element.
    gramProtocolCode: 1, // GLOBUS_GRAM_PROTOCOL_ERROR_PARAMETER_NOT_SUPPORTED
    hint: 'Remove the element or correct its name and namespace; the GRAM README lists the supported ones.',
  },
  GRAM_DESCRIPTION_BAD_VALUE: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 39, // GLOBUS_GRAM_PROTOCOL_ERROR_RSL_EVALUATION_FAILED, as GRAM_RSL_BAD_VALUE
    hint: 'Give the element a value of the kind it takes (a positive whole number for count), once.',
  },
  GRAM_DESCRIPTION_MISSING_EXECUTABLE: {
    side: 'client',
    retryable: false,
    gramProtocolCode: 81, // GLOBUS_GRAM_PROTOCOL_ERROR_UNDEFINED_EXE, as GRAM_RSL_MISSING_EXECUTABLE
    hint: 'Add the program to run: <executable> in a GT4 job description, jsdl-posix:Executable in JSDL.',
  },
  GRAM_DRY_RUN: {
    side: 'client',
    retryable: false,
    // GT replies to (dryrun=yes) with this error after checking; globusrun calls it success.
    gramProtocolCode: 41, // GLOBUS_GRAM_PROTOCOL_ERROR_DRYRUN
    hint: 'Nothing is wrong: the description was checked, not run; drop (dryRun=yes) to run it.',
  },
});

export type GramErrorCode = keyof typeof gramError.table;
