/**
 * The one error type that crosses service boundaries. Every expected failure is a `GridError`
 * with a stable `code` (prefixed per service: GRAM_, GSI_, MDS_, BROKER_, SITE_, CLI_, WEFT_)
 * that callers match on, a message written for the person who reads it, and a `hint` that
 * says what to do. The SOAP edge alone turns these into faults; the CLI alone prints them.
 *
 * A "cannot happen" is a plain `Error` and is allowed to crash the process loudly.
 */

/** Who has to act for a retry to succeed: the caller (fix the request) or the server. */
export type FaultSide = 'client' | 'server';

/** One row of a service's error table. */
export interface ErrorSpec {
  /** Whose fault: decides soap:Client vs soap:Server and the CLI's exit status. */
  readonly side: FaultSide;
  /** Whether trying the same thing again later may succeed. */
  readonly retryable: boolean;
  /** What the person should do about it, one sentence. */
  readonly hint: string;
  /** The classic GRAM protocol error number, where one exists (globus_gram_protocol_error.h). */
  readonly gramProtocolCode?: number;
}

/** Values safe to show to the caller: never keys, proxies or pass phrases. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | undefined>>;

export class GridError extends Error {
  override readonly name = 'GridError';
  readonly code: string;
  readonly side: FaultSide;
  readonly retryable: boolean;
  readonly hint: string;
  readonly gramProtocolCode: number | undefined;
  readonly details: ErrorDetails;

  constructor(code: string, spec: ErrorSpec, message: string, details: ErrorDetails = {}) {
    super(message);
    this.code = code;
    this.side = spec.side;
    this.retryable = spec.retryable;
    this.hint = spec.hint;
    this.gramProtocolCode = spec.gramProtocolCode;
    this.details = details;
  }
}

/** Matches on the code, not on `instanceof`, so errors survive a trip through a queue or a wire. */
export function isGridError(value: unknown, code?: string): value is GridError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown };
  if (candidate.name !== 'GridError' || typeof candidate.code !== 'string') return false;
  return code === undefined || candidate.code === code;
}

/**
 * Freezes a service's error table and returns a typed constructor for it:
 * `const gramError = errorTable({...}); throw gramError('GRAM_RSL_SYNTAX', '…')`.
 */
export function errorTable<Codes extends string>(table: Record<Codes, ErrorSpec>) {
  const frozen = Object.freeze({ ...table });
  function make(code: Codes, message: string, details?: ErrorDetails): GridError {
    return new GridError(code, frozen[code], message, details);
  }
  make.table = frozen as Readonly<Record<Codes, ErrorSpec>>;
  return make;
}
