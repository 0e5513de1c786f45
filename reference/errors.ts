/** Error answers as values: handlers throw them, the dispatcher renders them. */
import type { FaultName } from './faults.js';
import type { Texts } from './messages.js';

/** Seed §Standard Response Format: "errors": {"field_name": ["Error detail 1", ...]}, nested for profile.*. */
export type FieldErrors = { [field: string]: string[] | FieldErrors };

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldErrors,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** A deliberate 500 of a fault switch: the dispatcher answers it like any unexpected error. */
export function crash(fault: FaultName): never {
  throw new Error(`deliberate failure of fault ${fault}`);
}

/** RFC 6750 §3: a 401 names the scheme the client should use. */
export const BEARER_CHALLENGE = { 'www-authenticate': 'Bearer realm="api"' } as const;

export function unauthorized(t: Texts, detail: string, message = t.unauthorized): ApiError {
  return new ApiError(401, message, { detail: [detail] }, BEARER_CHALLENGE);
}

export function notFound(t: Texts, detail = t.notFound): ApiError {
  return new ApiError(404, t.notFound, { detail: [detail] });
}

export function throttled(t: Texts, seconds: number): ApiError {
  return new ApiError(429, t.throttled, { detail: [t.throttledDetail(seconds)] }, { 'retry-after': String(seconds) });
}

export function badRequest(t: Texts, field: string, detail: string, message = t.badRequest): ApiError {
  return new ApiError(400, message, { [field]: [detail] });
}

/**
 * The first problem of DRF-style errors, with its field, for dialects whose errors are one
 * message: `email: Enter a valid email address.`
 */
export function firstProblem(errors: FieldErrors, field = ''): string | undefined {
  for (const [key, value] of Object.entries(errors)) {
    const name = key === 'detail' || key === 'non_field_errors' ? field : field ? `${field}.${key}` : key;
    const found = Array.isArray(value) ? value[0] : firstProblem(value, name);
    if (found !== undefined) return Array.isArray(value) && name ? `${name}: ${found}` : found;
  }
  return undefined;
}
