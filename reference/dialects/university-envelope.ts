/**
 * Seed 001's answers: a success is {success: true, message?, ...payload}, the tokens and the user
 * at the top level beside the flag; a failure is {success: false, message, errors?}, errors
 * mapping fields to lists of messages. The seed's §Error Handling also shows the 401s of
 * protected endpoints as simplejwt and DRF answer them, raw: {detail, code?, messages?}.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { Success } from '../envelope.js';
import { ApiError, type FieldErrors } from '../errors.js';
import { jsonOut, type Outgoing } from '../http.js';
import type { Texts } from '../messages.js';
import { isPlainObject } from '../validation.js';

/**
 * A failure the dialect's own views answer, always in the {success: false, message} envelope
 * (login, logout, refresh). A 401 that is not one of these comes from authentication, which
 * answers simplejwt's raw body.
 */
export class SeedError extends ApiError {}

/** Seed 001's wording; the quirk other-messages rewords it, as it does the shared texts. */
export interface SeedTexts {
  readonly loggedIn: string;
  readonly loggedOut: string;
  readonly logoutFailed: string;
  readonly invalidCredentials: string;
  readonly invalidUsernameOrPassword: string;
  readonly userNotFound: string;
  readonly refreshRequired: string;
  readonly refreshInvalid: string;
  readonly tokenBlacklisted: string;
}

const STANDARD: SeedTexts = {
  loggedIn: 'Login successful',
  loggedOut: 'Logout successful',
  logoutFailed: 'Logout failed',
  invalidCredentials: 'Invalid credentials',
  invalidUsernameOrPassword: 'Invalid username or password',
  userNotFound: 'User not found',
  refreshRequired: 'Refresh token required',
  refreshInvalid: 'Invalid refresh token',
  tokenBlacklisted: 'Token is blacklisted',
};

const ALTERNATE: SeedTexts = {
  loggedIn: 'Welcome back',
  loggedOut: 'You are signed out',
  logoutFailed: 'Signing out did not work',
  invalidCredentials: 'Those credentials did not work',
  invalidUsernameOrPassword: 'The username or password is wrong.',
  userNotFound: 'There is no such user',
  refreshRequired: 'Send the refresh token',
  refreshInvalid: 'The refresh token was not accepted',
  tokenBlacklisted: 'This token was signed out.',
};

export function seedTexts(ctx: Ctx): SeedTexts {
  return ctx.quirk('other-messages') ? ALTERNATE : STANDARD;
}

/** Quirk extra-fields: every object of the payload gains a member a client must tolerate. */
function withExtras(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withExtras);
  if (!isPlainObject(value)) return value;
  return { ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withExtras(v)])), x_extra: 1 };
}

/** The payload's members sit beside success and message; a payload that is not an object goes under data. */
export function renderSuccess(ctx: Ctx, success: Success): Outgoing {
  const payload = isPlainObject(success.data) ? success.data : { data: success.data };
  const extras = ctx.quirk('extra-fields');
  const members = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, extras ? withExtras(v) : v]));
  const envelope: Record<string, unknown> = { success: true, ...(success.message ? { message: success.message } : {}), ...members };
  if (extras) envelope.request_id = randomUUID();
  if (ctx.fault('success-envelope-broken')) delete envelope.success;
  return jsonOut(success.status, envelope, success.headers);
}

function firstMessage(errors: FieldErrors): string | undefined {
  for (const value of Object.values(errors)) {
    const found = Array.isArray(value) ? value[0] : firstMessage(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * simplejwt's JWTAuthentication and DRF's NotAuthenticated, as the seed shows them: no
 * credentials is {detail}; a bad header or token adds simplejwt's code (and, for a token, its
 * messages).
 */
function simplejwtBody(t: Texts, detail: string): Record<string, unknown> {
  if (detail === t.badAuthHeader) return { detail, code: 'bad_authorization_header' };
  if (detail === t.tokenInvalid) {
    return { detail, code: 'token_not_valid', messages: [{ token_class: 'AccessToken', token_type: 'access', message: t.refreshInvalid }] };
  }
  return { detail };
}

/** The envelope faults, and the faults that drop a header the answer should carry, act here. */
export function renderError(ctx: Ctx, error: ApiError): Outgoing {
  const headers = { ...error.headers };
  if (ctx.fault('no-www-authenticate')) delete headers['www-authenticate'];
  if (ctx.fault('no-retry-after')) delete headers['retry-after'];
  const message = firstMessage(error.errors) ?? error.message;
  // Neither envelope: no success flag, and a detail that is a list, not simplejwt's string.
  if (error.status === 401 && ctx.fault('unauthorized-envelope-broken')) return jsonOut(401, { detail: [message] }, headers);
  // DRF's raw field errors; a list detail for a bodyless error, so that it is not simplejwt's shape either.
  if (error.status === 400 && ctx.fault('error-envelope-broken')) return jsonOut(400, Object.keys(error.errors).length ? error.errors : { detail: [message] }, headers);
  if (error.status === 401 && !(error instanceof SeedError)) return jsonOut(401, simplejwtBody(ctx.t, message), headers);
  const envelope: Record<string, unknown> = { success: false, message: error.message };
  if (Object.keys(error.errors).length) envelope.errors = error.errors;
  if (ctx.quirk('extra-fields')) envelope.request_id = randomUUID();
  return jsonOut(error.status, envelope, headers);
}

/** Anything unexpected (and every deliberate fault crash) is a 500 in the error envelope. */
export function renderThrown(ctx: Ctx, error: unknown): Outgoing {
  return renderError(ctx, error instanceof ApiError ? error : new ApiError(500, ctx.t.serverError, {}));
}

/** Node's own refusals (a request it cannot parse), before any context exists. */
export function clientErrorBody(_status: number, reason: string): unknown {
  return { success: false, message: reason };
}
