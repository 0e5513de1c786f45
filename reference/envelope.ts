/**
 * Seed §Standard Response Format: "All API responses follow a consistent structure" —
 * {success: true, message, data} or {success: false, message, errors}. The envelope faults and
 * the extra-fields quirk act here, at the one place answers are shaped.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from './context.js';
import { ApiError, type FieldErrors } from './errors.js';
import { jsonOut, type Outgoing } from './http.js';
import { isPlainObject } from './validation.js';

export interface Success {
  readonly status: number;
  readonly message: string;
  readonly data: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export function ok(message: string, data: unknown, status = 200, headers?: Readonly<Record<string, string>>): Success {
  return { status, message, data, headers };
}

/** Quirk extra-fields: every object of the data gains a member a client must tolerate. */
function withExtras(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withExtras);
  if (!isPlainObject(value)) return value;
  return { ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withExtras(v)])), x_extra: 1 };
}

function decorate(ctx: Ctx, envelope: Record<string, unknown>): Record<string, unknown> {
  if (!ctx.quirk('extra-fields')) return envelope;
  const decorated = { ...envelope, request_id: randomUUID() };
  return 'data' in envelope ? { ...decorated, data: withExtras(envelope.data) } : decorated;
}

export function renderSuccess(ctx: Ctx, success: Success): Outgoing {
  const envelope: Record<string, unknown> = { success: true, message: success.message, data: success.data };
  if (ctx.fault('success-envelope-broken')) delete envelope.success;
  return jsonOut(success.status, decorate(ctx, envelope), success.headers);
}

function firstMessage(errors: FieldErrors): string | undefined {
  for (const value of Object.values(errors)) {
    const found = Array.isArray(value) ? value[0] : firstMessage(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Faults no-www-authenticate and no-retry-after drop a header the answer should carry. */
function errorHeaders(ctx: Ctx, error: ApiError): Record<string, string> {
  const headers = { ...error.headers };
  if (ctx.fault('no-www-authenticate')) delete headers['www-authenticate'];
  if (ctx.fault('no-retry-after')) delete headers['retry-after'];
  return headers;
}

export function renderError(ctx: Ctx, error: ApiError): Outgoing {
  const headers = errorHeaders(ctx, error);
  if (error.status === 401 && ctx.fault('unauthorized-envelope-broken')) {
    return jsonOut(401, { detail: firstMessage(error.errors) ?? error.message }, headers);
  }
  if (error.status === 400 && ctx.fault('error-envelope-broken')) return jsonOut(400, error.errors, headers);
  const errors = ctx.quirk('errors-as-array') ? errorList(error.errors) : error.errors;
  return jsonOut(error.status, decorate(ctx, { success: false, message: error.message, errors }), headers);
}

/** Quirk errors-as-array: one object per message, naming its field as GraphQL servers do (extensions.field, dotted when nested). */
function errorList(errors: FieldErrors, prefix = ''): { message: string; extensions: { field: string } }[] {
  return Object.entries(errors).flatMap(([key, value]) => {
    const field = prefix ? `${prefix}.${key}` : key;
    return Array.isArray(value) ? value.map((message) => ({ message, extensions: { field } })) : errorList(value, field);
  });
}

/** Anything unexpected (and every deliberate fault crash) is a 500 in the error envelope. */
export function renderCrash(ctx: Ctx): Outgoing {
  return renderError(ctx, new ApiError(500, ctx.t.serverError, { detail: [ctx.t.serverErrorDetail] }));
}

export function renderThrown(ctx: Ctx, error: unknown): Outgoing {
  return error instanceof ApiError ? renderError(ctx, error) : renderCrash(ctx);
}
