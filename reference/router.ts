/**
 * Routing, in DRF's order: route match (404) → method (405) → authentication (401) → body
 * parsing (415/400/413) → the handler's validation. Every request ends in exactly one answer;
 * anything thrown that is not an ApiError becomes a 500 envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth.js';
import { readBody, type BodyKind } from './body.js';
import { hashUnboundedPasswords } from './passwords.js';
import { Ctx, type ServerState } from './context.js';
import { ok, renderSuccess, renderThrown, type Success } from './envelope.js';
import { ApiError, notFound } from './errors.js';
import type { FaultName } from './faults.js';
import { changePassword, resetPassword, sendResetOtp } from './handlers/password.js';
import { appHeadersRefusal } from './app-headers.js';
import { clockHook, HOOK_PREFIX, otpHook, usersHook } from './handlers/hooks.js';
import { login, refresh, register } from './handlers/account.js';
import { sendOtp, verifyOtp } from './handlers/otp.js';
import { honoursNamedUser } from './handlers/named-user.js';
import { forPathUser, pathUserId } from './handlers/path-user.js';
import { sessionLogout } from './handlers/session-logout.js';
import { cookieLogout } from './handlers/refresh-cookie.js';
import { me, updateLocation, updateMe } from './handlers/profile.js';
import { wallet } from './handlers/wallet.js';
import { withSessionExtras } from './session-extras.js';
import { fileOut, jsonOut, noContentOut, textOut, writeOutgoing, type Outgoing } from './http.js';
import { cacheableSuccess, leakyError } from './leaks.js';

export interface ApiRoute {
  readonly path: string;
  readonly methods: readonly string[];
  readonly auth: boolean;
  /** The fault that lets this endpoint answer without an Authorization header. */
  readonly anonymousFault?: FaultName;
  readonly body: BodyKind;
  readonly handle: (ctx: Ctx) => Promise<Success>;
}

/** Seed §API Endpoints for Accounts Module, trailing slashes included. */
const ROUTES: readonly ApiRoute[] = [
  { path: 'auth/register/', methods: ['POST'], auth: false, body: 'json', handle: register },
  { path: 'auth/login/', methods: ['POST'], auth: false, body: 'json', handle: login },
  { path: 'auth/refresh/', methods: ['POST'], auth: false, body: 'json', handle: refresh },
  { path: 'auth/send-otp/', methods: ['POST'], auth: true, body: 'json', handle: sendOtp },
  { path: 'auth/verify-otp/', methods: ['POST'], auth: true, body: 'json', handle: verifyOtp },
  { path: 'users/me/', methods: ['GET'], auth: true, body: 'none', handle: honoursNamedUser('me-honours-query-user-id', 'query', me) },
  { path: 'users/update_me/', methods: ['PUT', 'PATCH'], auth: true, body: 'form', handle: honoursNamedUser('profile-update-honours-body-user-id', 'body', updateMe) },
  { path: 'users/change_password/', methods: ['POST'], auth: true, body: 'json', handle: changePassword },
  { path: 'users/update_location/', methods: ['POST'], auth: true, anonymousFault: 'location-without-token', body: 'json', handle: updateLocation },
  { path: 'password-reset/send_otp/', methods: ['POST'], auth: false, body: 'json', handle: sendResetOtp },
  { path: 'password-reset/reset/', methods: ['POST'], auth: false, body: 'json', handle: resetPassword },
  { path: 'wallet/', methods: ['GET'], auth: true, anonymousFault: 'wallet-without-token', body: 'none', handle: honoursNamedUser('wallet-honours-query-user-id', 'query', wallet) },
];

/** How a dialect speaks: its success answers, its error answers, its 405. */
export interface Speech {
  readonly success: (ctx: Ctx, success: Success) => Outgoing;
  readonly thrown: (ctx: Ctx, error: unknown) => Outgoing;
  readonly methodNotAllowed: (ctx: Ctx, method: string, allow: Record<string, string>) => Error;
}

/** Fault not-found-html: the page a web framework answers by default. */
const NOT_FOUND_PAGE = '<!doctype html><html><head><title>Not Found</title></head><body><h1>Not Found</h1></body></html>';

function notFoundAnswer(ctx: Ctx): Outgoing {
  if (ctx.fault('not-found-html')) return textOut(404, 'text/html; charset=utf-8', NOT_FOUND_PAGE);
  throw notFound(ctx.t);
}

/**
 * The request handler of a dialect: its routes, spoken its way, on the machinery every dialect
 * shares (method check, authentication, body reading, hooks, media, one answer per request).
 */
export function routerFor(routes: readonly ApiRoute[], speech: Speech): (state: ServerState, req: IncomingMessage, res: ServerResponse) => Promise<void> {
  /** HEAD is GET without a body (Node drops it); OPTIONS lists the methods, as DRF does. */
  function checkMethod(ctx: Ctx, methods: readonly string[]): Outgoing | undefined {
    const method = ctx.req.method === 'HEAD' ? 'GET' : (ctx.req.method ?? 'GET');
    if (methods.includes(method)) return undefined;
    const allowed = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
    const allow = { allow: allowed.join(', ') };
    if (method === 'OPTIONS') return speech.success(ctx, ok(ctx.t.allowedMethods, { allowed_methods: allowed }, 200, allow));
    if (ctx.fault('method-not-allowed-plain')) return textOut(405, 'text/plain; charset=utf-8', 'Method Not Allowed', allow);
    throw speech.methodNotAllowed(ctx, method, allow);
  }

  async function runApi(ctx: Ctx, route: ApiRoute): Promise<Outgoing> {
    const refused = checkMethod(ctx, route.methods);
    if (refused) return refused;
    if (route.auth) {
      try {
        await authenticate(ctx, route.anonymousFault);
      } catch (error) {
        // Quirk me-null-when-signed-out: the current user of a signed-out request is null, as
        // better-auth's get-session answers, not a 401.
        if (route.path === 'users/me/' && ctx.quirk('me-null-when-signed-out') && error instanceof ApiError && error.status === 401) return jsonOut(200, null);
        throw error;
      }
    }
    await readBody(ctx, route.body);
    ctx.state.secrets.notePasswords(ctx.body);
    await hashUnboundedPasswords(ctx);
    const success = await route.handle(ctx);
    // Quirks register-204 and update-204: the work is done, the answer carries nothing.
    if ((route.path === 'auth/register/' && ctx.quirk('register-204')) || (route.path === 'users/update_me/' && ctx.quirk('update-204'))) return noContentOut();
    return speech.success(ctx, withSessionExtras(ctx, success));
  }

  async function runHook(ctx: Ctx): Promise<Outgoing> {
    const name = ctx.path.slice(HOOK_PREFIX.length);
    if (name === 'otp') return checkMethod(ctx, ['GET']) ?? otpHook(ctx);
    if (name === 'clock') return checkMethod(ctx, ['POST']) ?? clockHook(ctx);
    if (name === 'users') return checkMethod(ctx, ['POST']) ?? usersHook(ctx);
    return notFoundAnswer(ctx);
  }

  /** Uploaded images, outside the API base path like Django's MEDIA_URL. */
  function serveMedia(ctx: Ctx): Outgoing {
    const refused = checkMethod(ctx, ['GET']);
    if (refused) return refused;
    const file = ctx.store.media.get(ctx.path);
    if (!file || ctx.fault('profile-image-not-served')) return notFoundAnswer(ctx);
    return fileOut(file.contentType, file.bytes);
  }

  function route(ctx: Ctx): Promise<Outgoing> | Outgoing {
    const { basePath, hooks } = ctx.state;
    if (hooks && ctx.path.startsWith(HOOK_PREFIX)) return runHook(ctx);
    if (ctx.path.startsWith('/media/')) return serveMedia(ctx);
    if (ctx.path === JWKS_PATH && ctx.state.keys.rsa) return jwksAnswer(ctx.state.keys.rsa);
    const relative = ctx.path.startsWith(basePath) ? ctx.path.slice(basePath.length) : null;
    const api = relative === null ? undefined : (routes.find((r) => r.path === relative) ?? userPathRoute(ctx, relative));
    const refused = appHeadersRefusal(ctx, api?.path);
    if (refused) throw refused;
    return api ? runApi(ctx, api) : notFoundAnswer(ctx);
  }

  return async (state, req, res) => {
    const ctx = new Ctx(state, req);
    let out: Outgoing;
    try {
      out = cacheableSuccess(ctx, await route(ctx));
    } catch (error) {
      out = leakyError(ctx, speech.thrown(ctx, error), error);
    }
    await writeOutgoing(state, req, res, out);
  };
}

/** Quirk rs256-tokens: where the API publishes the public key its tokens are signed with (RFC 7517). */
export const JWKS_PATH = '/.well-known/jwks.json';

function jwksAnswer(rsa: NonNullable<ServerState['keys']['rsa']>): Outgoing {
  return jsonOut(200, { keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: rsa.kid, alg: 'RS256', use: 'sig' }] });
}

/** Routes of the quirks that add endpoints: user-path-ids (`users/{id}/`, handlers/path-user.ts), session-logout and refresh-cookie's logout. */
function userPathRoute(ctx: Ctx, relative: string): ApiRoute | undefined {
  // Quirk session-logout: a logout that ends the session of the token it is called with.
  if (relative === 'auth/logout/' && ctx.quirk('session-logout')) return { path: relative, methods: ['POST'], auth: true, body: 'json', handle: sessionLogout };
  // Quirk refresh-cookie: a logout that ends the refresh token of the cookie.
  if (relative === 'auth/logout/' && ctx.quirk('refresh-cookie')) return { path: relative, methods: ['POST'], auth: true, anonymousFault: 'logout-without-token', body: 'json', handle: cookieLogout };
  const id = ctx.quirk('user-path-ids') ? pathUserId(relative) : null;
  return id === null ? undefined : { path: 'users/{id}/', methods: ['GET', 'PUT', 'PATCH'], auth: true, body: 'form', handle: forPathUser(id) };
}

/** The TaskLink dialect (seed 000): its envelope, and DRF's {"detail": [...]} for a 405. */
export const handleRequest = routerFor(ROUTES, {
  success: renderSuccess,
  thrown: renderThrown,
  methodNotAllowed: (ctx, method, allow) => new ApiError(405, ctx.t.methodNotAllowed(method), { detail: [ctx.t.methodNotAllowed(method)] }, allow),
});
