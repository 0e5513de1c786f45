/**
 * The message-data dialect (seed 002, "Backend Integration Document"): success answers
 * {message, data}, failures {message, error_code}; signup, login, refresh and the current user
 * under /api/auth/. The seed names no paths: these are the reference dialect's choice, and the
 * message-data profile describes them to the suite.
 */
import { type FaultName, type QuirkName, SHARED_MACHINERY_FAULTS, JWT_FAULTS } from '../faults.js';
import { honoursNamedUser } from '../handlers/named-user.js';
import { routerFor, type ApiRoute } from '../router.js';
import type { Dialect } from './dialect.js';
import { CodedError, errorBody, renderSuccess, renderThrown } from './message-data-envelope.js';
import { login, me, refresh, signup } from './message-data-handlers.js';

const ROUTES: readonly ApiRoute[] = [
  { path: 'auth/signup', methods: ['POST'], auth: false, body: 'json', handle: signup },
  { path: 'auth/login', methods: ['POST'], auth: false, body: 'json', handle: login },
  { path: 'auth/refresh', methods: ['POST'], auth: false, body: 'json', handle: refresh },
  { path: 'auth/me', methods: ['GET'], auth: true, body: 'none', handle: honoursNamedUser('me-honours-query-user-id', 'query', me) },
];

/** The shared router, spoken the message-data way: {message, data} and {message, error_code}. */
const handleRequest = routerFor(ROUTES, {
  success: (_ctx, success) => renderSuccess(success),
  thrown: renderThrown,
  methodNotAllowed: (ctx, method, allow) => new CodedError(405, ctx.t.methodNotAllowed(method), 'METHOD_NOT_ALLOWED', allow),
});

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
  'me-honours-query-user-id',
  'xml-body-500',
  'register-race',
  'no-login-throttling',
  'no-retry-after',
  'ignores-token-expiry',
  'permanent-lockout',
  'email-domain-case-distinct',
  'email-leading-space-kept',
  'email-length-unchecked',
  ...SHARED_MACHINERY_FAULTS,
  ...JWT_FAULTS,
] as const satisfies readonly FaultName[];

/** Quirks the dialect honours; numeric ids are its normal form. */
const MESSAGE_DATA_QUIRKS: readonly QuirkName[] = ['gzip', 'other-messages', 'numeric-ids', 'rate-limit', 'session-extras', 'global-rate-limit'];

export const MESSAGE_DATA: Dialect = {
  basePath: '/api/',
  numericIds: true,
  handleRequest,
  clientErrorBody: (status, reason) => errorBody(status, reason),
  faults: MESSAGE_DATA_FAULTS,
  quirks: MESSAGE_DATA_QUIRKS,
};
