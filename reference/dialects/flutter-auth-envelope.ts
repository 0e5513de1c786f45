/**
 * Seed 004 §Base Response Format and §Error Handling: a success is the plain answer object (the
 * user and its tokens at the top level, or {message, ...}); every failure is {"error": "..."}.
 * The shared reference code throws ApiErrors keyed by field (DRF's shape); this dialect has no
 * field errors, so its error names the first problem, with its field.
 */
import type { Ctx } from '../context.js';
import type { Success } from '../envelope.js';
import { ApiError, firstProblem } from '../errors.js';
import { jsonOut, type Outgoing } from '../http.js';

export function errorBody(message: string): { error: string } {
  return { error: message };
}

/**
 * A failure in the seed's words ("Email already exists", "Invalid or expired OTP") rather than a
 * field problem. `extra` adds members beside `error` (only the login-enumeration fault uses it).
 */
export class FlutterError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(status, message, {}, headers);
  }
}

/** The answer is the data itself: seed 004 wraps nothing. */
export function renderSuccess(success: Success): Outgoing {
  return jsonOut(success.status, success.data, success.headers);
}

/** The envelope fault, and the fault that drops Retry-After from a 429, act here. */
export function renderError(ctx: Ctx, error: ApiError): Outgoing {
  const headers = { ...error.headers };
  if (ctx.fault('no-retry-after')) delete headers['retry-after'];
  const message = firstProblem(error.errors) ?? error.message;
  // Fault error-envelope-broken: a 400 in DRF's raw form, with no `error` member.
  if (error.status === 400 && ctx.fault('error-envelope-broken')) return jsonOut(400, { detail: [message] }, headers);
  const extra = error instanceof FlutterError ? error.extra : {};
  return jsonOut(error.status, { ...extra, ...errorBody(message) }, headers);
}

/** Anything unexpected (and every deliberate fault crash) is a 500 {"error": ...}. */
export function renderThrown(ctx: Ctx, error: unknown): Outgoing {
  return renderError(ctx, error instanceof ApiError ? error : new ApiError(500, ctx.t.serverError, {}));
}
