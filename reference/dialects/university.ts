/**
 * The university dialect (seed 001, "Accounts API Documentation" of a university services
 * system): login by username, logout, the current user's profile and refresh under /api/auth/.
 * Answers are {success, message, ...} with the tokens and the user at the top level; the 401s of
 * protected endpoints are simplejwt's raw {detail, code}. There is no registration.
 */
import { ApiError } from '../errors.js';
import { type FaultName, type QuirkName, SHARED_MACHINERY_FAULTS, JWT_FAULTS } from '../faults.js';
import { honoursNamedUser } from '../handlers/named-user.js';
import { routerFor, type ApiRoute } from '../router.js';
import type { Dialect } from './dialect.js';
import { clientErrorBody, renderSuccess, renderThrown } from './university-envelope.js';
import { login, logout, profile, refresh } from './university-handlers.js';

const ROUTES: readonly ApiRoute[] = [
  { path: 'login/', methods: ['POST'], auth: false, body: 'json', handle: login },
  { path: 'logout/', methods: ['POST'], auth: true, anonymousFault: 'logout-without-token', body: 'json', handle: logout },
  { path: 'profile/', methods: ['GET'], auth: true, body: 'none', handle: honoursNamedUser('me-honours-query-user-id', 'query', profile) },
  { path: 'refresh/', methods: ['POST'], auth: false, body: 'json', handle: refresh },
];

/** The shared router, spoken seed 001's way: {success, message, ...} and {success: false, message, errors}. */
const handleRequest = routerFor(ROUTES, {
  success: renderSuccess,
  thrown: renderThrown,
  methodNotAllowed: (ctx, method, allow) => new ApiError(405, ctx.t.methodNotAllowed(method), { detail: [ctx.t.methodNotAllowed(method)] }, allow),
});

/** The fault switches that make sense for this dialect; each trips requirements its profile applies. */
export const UNIVERSITY_FAULTS = [
  'success-envelope-broken',
  'error-envelope-broken',
  'unauthorized-envelope-broken',
  'not-found-html',
  'method-not-allowed-plain',
  'unsupported-media-type-500',
  'malformed-json-500',
  'non-object-json-500',
  'login-by-username-broken',
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
  'accepts-truncated-token',
  'long-lived-access-token',
  'no-www-authenticate',
  'me-wrong-shape',
  'me-returns-latest-user',
  'me-honours-query-user-id',
  'leaks-password-hash',
  'logout-broken',
  'logout-keeps-refresh',
  'logout-without-token',
  'login-enumeration',
  'xml-body-500',
  'no-login-throttling',
  'no-retry-after',
  'ignores-token-expiry',
  'permanent-lockout',
  ...SHARED_MACHINERY_FAULTS,
  ...JWT_FAULTS,
] as const satisfies readonly FaultName[];

/** Quirks the dialect honours; numeric ids are its normal form. */
const UNIVERSITY_QUIRKS: readonly QuirkName[] = ['gzip', 'other-messages', 'numeric-ids', 'rate-limit', 'extra-fields', 'session-extras', 'global-rate-limit', 'login-by-email-too'];

export const UNIVERSITY: Dialect = {
  basePath: '/api/auth/',
  numericIds: true,
  handleRequest,
  clientErrorBody,
  faults: UNIVERSITY_FAULTS,
  quirks: UNIVERSITY_QUIRKS,
};
