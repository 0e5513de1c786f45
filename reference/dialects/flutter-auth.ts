/**
 * The flutter-auth dialect (seed 004, "Authentication API Documentation" of a Flutter app):
 * answers are plain objects, the user and its tokens at the top level, failures {"error": ...};
 * sign-up, sign-in by email and password, sign-in by a code sent to a phone, and a three-step
 * password reset, at the seed's own paths. Google sign-in (seed §5) needs Google's servers and
 * is left out. The seed has no refresh, current-user or logout endpoint, so none is served.
 */
import { type FaultName, type QuirkName, SHARED_MACHINERY_FAULTS } from '../faults.js';
import { routerFor, type ApiRoute } from '../router.js';
import type { Dialect } from './dialect.js';
import { forgotPassword, resetPassword, sendOtp, verifyOtp, verifyResetOtp } from './flutter-auth-codes.js';
import { errorBody, FlutterError, renderSuccess, renderThrown } from './flutter-auth-envelope.js';
import { login, register } from './flutter-auth-handlers.js';

const ROUTES: readonly ApiRoute[] = [
  { path: 'login', methods: ['POST'], auth: false, body: 'json', handle: login },
  { path: 'auth/register', methods: ['POST'], auth: false, body: 'json', handle: register },
  { path: 'auth/send-otp', methods: ['POST'], auth: false, body: 'json', handle: sendOtp },
  { path: 'auth/verify-otp', methods: ['POST'], auth: false, body: 'json', handle: verifyOtp },
  { path: 'auth/forgot-password', methods: ['POST'], auth: false, body: 'json', handle: forgotPassword },
  { path: 'auth/verify-reset-otp', methods: ['POST'], auth: false, body: 'json', handle: verifyResetOtp },
  { path: 'auth/reset-password', methods: ['POST'], auth: false, body: 'json', handle: resetPassword },
];

/** The shared router, spoken the seed-004 way: plain answers and {error}. */
const handleRequest = routerFor(ROUTES, {
  success: (_ctx, success) => renderSuccess(success),
  thrown: renderThrown,
  methodNotAllowed: (ctx, method, allow) => new FlutterError(405, ctx.t.methodNotAllowed(method), {}, allow),
});

/** The fault switches that make sense for this dialect; each trips requirements its profile applies. */
export const FLUTTER_AUTH_FAULTS = [
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
  'password-confirm-unchecked',
  'duplicate-email-accepted',
  'login-by-email-broken',
  'accepts-wrong-password',
  'unknown-user-404',
  'signin-send-broken',
  'signin-phone-unchecked',
  'signin-omits-tokens',
  'signin-accepts-wrong-code',
  'signin-code-reusable',
  'signin-code-unbound',
  'otp-unlimited-guesses',
  'otp-four-digits',
  'otp-echoed',
  'reset-send-email-broken',
  'reset-broken',
  'reset-not-applied',
  'reset-accepts-wrong-otp',
  'reset-otp-reusable',
  'reset-confirm-unchecked',
  'reset-otp-unbound',
  'reset-token-reusable',
  'reset-token-unchecked',
  'reset-enumeration',
  'login-enumeration',
  'long-input-500',
  'nul-char-500',
  'wrong-types-500',
  'xml-body-500',
  'register-race',
  'reset-race',
  'no-login-throttling',
  'no-retry-after',
  'no-reset-send-throttling',
  'weak-signing-key',
  'iat-not-numeric',
  'otp-sequential',
  'otp-shared-code',
  'reset-timing-leak',
  ...SHARED_MACHINERY_FAULTS,
] as const satisfies readonly FaultName[];

/** Quirks the dialect honours; numeric ids are its normal form. */
const FLUTTER_AUTH_QUIRKS: readonly QuirkName[] = ['gzip', 'other-messages', 'numeric-ids', 'rate-limit', 'session-extras', 'global-rate-limit'];

export const FLUTTER_AUTH: Dialect = {
  basePath: '/',
  numericIds: true,
  handleRequest,
  clientErrorBody: (_status, reason) => errorBody(reason),
  faults: FLUTTER_AUTH_FAULTS,
  quirks: FLUTTER_AUTH_QUIRKS,
};
