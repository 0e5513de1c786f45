/**
 * The message-data dialect (seed 002, "Backend Integration Document"): success answers
 * {message, data}, failures {message, error_code}; signup, login, refresh and the current user
 * under /api/auth/. The seed names no paths: these are the reference dialect's choice, and the
 * message-data profile describes them to the suite.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from '../auth.js';
import { readBody, type BodyKind } from '../body.js';
import { Ctx, type ServerState } from '../context.js';
import type { Success } from '../envelope.js';
import { notFound } from '../errors.js';
import type { FaultName, QuirkName } from '../faults.js';
import { clockHook, HOOK_PREFIX, otpHook } from '../handlers/hooks.js';
import { textOut, writeOutgoing, type Outgoing } from '../http.js';
import type { Dialect } from './dialect.js';
import { CodedError, errorBody, renderSuccess, renderThrown } from './message-data-envelope.js';
import { login, me, refresh, signup } from './message-data-handlers.js';

interface Route {
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly auth: boolean;
  readonly body: BodyKind;
  readonly handle: (ctx: Ctx) => Promise<Success>;
}

const ROUTES: readonly Route[] = [
  { path: 'auth/signup', method: 'POST', auth: false, body: 'json', handle: signup },
  { path: 'auth/login', method: 'POST', auth: false, body: 'json', handle: login },
  { path: 'auth/refresh', method: 'POST', auth: false, body: 'json', handle: refresh },
  { path: 'auth/me', method: 'GET', auth: true, body: 'none', handle: me },
];

/** Fault not-found-html: the page a web framework answers by default. */
const NOT_FOUND_PAGE = '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>';

function notFoundAnswer(ctx: Ctx): Outgoing {
  if (ctx.fault('not-found-html')) return textOut(404, 'text/html; charset=utf-8', NOT_FOUND_PAGE);
  throw notFound(ctx.t);
}

/** 405 with Allow for another method; HEAD is GET without a body; OPTIONS lists the methods. */
function refuseMethod(ctx: Ctx, method: Route['method']): Outgoing | undefined {
  const asked = ctx.req.method === 'HEAD' ? 'GET' : (ctx.req.method ?? 'GET');
  if (asked === method) return undefined;
  const allowed = [method, ...(method === 'GET' ? ['HEAD'] : []), 'OPTIONS'];
  const allow = { allow: allowed.join(', ') };
  if (asked === 'OPTIONS') return renderSuccess({ status: 200, message: ctx.t.allowedMethods, data: { allowed_methods: allowed }, headers: allow });
  if (ctx.fault('method-not-allowed-plain')) return textOut(405, 'text/plain; charset=utf-8', 'Method Not Allowed', allow);
  throw new CodedError(405, ctx.t.methodNotAllowed(asked), 'METHOD_NOT_ALLOWED', allow);
}

/** The order of the TaskLink router: method (405), authentication (401), body (415/400), validation. */
async function answer(ctx: Ctx, route: Route): Promise<Outgoing> {
  if (route.auth) authenticate(ctx);
  await readBody(ctx, route.body);
  ctx.state.secrets.notePasswords(ctx.body);
  return renderSuccess(await route.handle(ctx));
}

/** The reference server's test hooks, unchanged: plain JSON, outside the API. */
function hook(ctx: Ctx): Promise<Outgoing> | Outgoing {
  const name = ctx.path.slice(HOOK_PREFIX.length);
  if (name === 'otp') return refuseMethod(ctx, 'GET') ?? otpHook(ctx);
  if (name === 'clock') return refuseMethod(ctx, 'POST') ?? clockHook(ctx);
  return notFoundAnswer(ctx);
}

async function route(ctx: Ctx): Promise<Outgoing> {
  const { basePath, hooks } = ctx.state;
  if (hooks && ctx.path.startsWith(HOOK_PREFIX)) return hook(ctx);
  const found = ctx.path.startsWith(basePath) ? ROUTES.find((r) => r.path === ctx.path.slice(basePath.length)) : undefined;
  if (!found) return notFoundAnswer(ctx);
  return refuseMethod(ctx, found.method) ?? answer(ctx, found);
}

async function handleRequest(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ctx = new Ctx(state, req);
  const out = await route(ctx).catch((error: unknown) => renderThrown(ctx, error));
  await writeOutgoing(state, req, res, out);
}

/** The fault switches that make sense for this dialect; each trips requirements its profile applies. */
export const MESSAGE_DATA_FAULTS = [
  'unauthorized-envelope-broken',
  'error-envelope-broken',
  'not-found-html',
  'method-not-allowed-plain',
  'unsupported-media-type-500',
  'malformed-json-500',
  'non-object-json-500',
  'register-returns-200',
  'register-omits-tokens',
  'register-ignores-full-name',
  'email-format-unchecked',
  'email-optional',
  'password-length-unchecked',
  'duplicate-email-accepted',
  'login-by-email-broken',
  'accepts-wrong-password',
  'wrong-password-400',
  'unknown-user-404',
  'login-token-unusable',
  'refresh-broken',
  'refresh-access-unusable',
  'refresh-accepts-access-token',
  'refresh-ignores-signature',
  'refresh-garbage-500',
  'malformed-auth-header-500',
  'ignores-token-signature',
  'accepts-alg-none',
  'accepts-refresh-as-access',
  'me-drops-full-name',
  'accepts-truncated-token',
  'long-lived-access-token',
  'no-www-authenticate',
  'me-returns-latest-user',
  'xml-body-500',
  'register-race',
  'no-login-throttling',
  'no-retry-after',
  'ignores-token-expiry',
  'permanent-lockout',
] as const satisfies readonly FaultName[];

/** Quirks the dialect honours; numeric ids are its normal form. */
const MESSAGE_DATA_QUIRKS: readonly QuirkName[] = ['gzip', 'other-messages', 'numeric-ids', 'rate-limit'];

export const MESSAGE_DATA: Dialect = {
  basePath: '/api/',
  numericIds: true,
  handleRequest,
  clientErrorBody: (status, reason) => errorBody(status, reason),
  faults: MESSAGE_DATA_FAULTS,
  quirks: MESSAGE_DATA_QUIRKS,
};
