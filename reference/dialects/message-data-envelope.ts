/**
 * Seed 002 §Standard Success Response Format and §Error Response Format: every success is
 * {message, data}, every failure {message, error_code}. The shared reference code throws
 * ApiErrors keyed by field (DRF's shape); this dialect has no field errors, so its message names
 * the first problem and error_code says what kind of failure it is.
 */
import type { Ctx } from '../context.js';
import type { Success } from '../envelope.js';
import { ApiError, firstProblem } from '../errors.js';
import { jsonOut, type Outgoing } from '../http.js';

/**
 * Seed 002 names AUTH_001 (email or password incorrect) and AUTH_401 (token missing, invalid or
 * expired) and leaves the rest to the backend: one code per status, the seed's where it has one.
 */
const ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'VALIDATION_ERROR',
  401: 'AUTH_401',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  431: 'HEADERS_TOO_LARGE',
  500: 'SERVER_ERROR',
};

export function errorBody(status: number, message: string, code = ERROR_CODES[status] ?? `HTTP_${status}`): { message: string; error_code: string } {
  return { message, error_code: code };
}

/** A failure with a code of its own (AUTH_001, EMAIL_TAKEN) rather than its status's. */
export class CodedError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly code: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(status, message, {}, headers);
  }
}

export function renderSuccess(success: Success): Outgoing {
  return jsonOut(success.status, { message: success.message, data: success.data }, success.headers);
}

/** The envelope faults, and the faults that drop a header the answer should carry, act here. */
export function renderError(ctx: Ctx, error: ApiError): Outgoing {
  const headers = { ...error.headers };
  if (ctx.fault('no-www-authenticate')) delete headers['www-authenticate'];
  if (ctx.fault('no-retry-after')) delete headers['retry-after'];
  const message = firstProblem(error.errors) ?? error.message;
  if (error.status === 401 && ctx.fault('unauthorized-envelope-broken')) return jsonOut(401, { detail: message }, headers);
  if (error.status === 400 && ctx.fault('error-envelope-broken')) return jsonOut(400, { detail: [message] }, headers);
  const code = error instanceof CodedError ? error.code : undefined;
  return jsonOut(error.status, errorBody(error.status, message, code), headers);
}

/** Anything unexpected (and every deliberate fault crash) is a 500 in the error envelope. */
export function renderThrown(ctx: Ctx, error: unknown): Outgoing {
  return renderError(ctx, error instanceof ApiError ? error : new ApiError(500, ctx.t.serverError, {}));
}
