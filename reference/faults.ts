import type { RequirementId } from '../requirements/catalogue.js';

/**
 * Fault switches of the reference server. Each breaks exactly one rule of the contract and
 * declares the requirement ids the suite must report as failed when it is on. The self-tests
 * boot every fault and the meta-test checks that every MUST id is tripped by at least one.
 */
export interface Fault {
  readonly description: string;
  readonly trips: readonly RequirementId[];
  /**
   * A fault of something only some APIs have (paths that name the user): the quirks that give
   * the server that shape, and the test profile (test/profiles/) that reaches it.
   */
  readonly reach?: { readonly quirks: readonly QuirkName[]; readonly profile: string };
}

/** The refresh token in an HttpOnly cookie (quirk refresh-cookie), read by refresh and logout from the Cookie header. */
const COOKIE_REACH = { quirks: ['refresh-cookie'], profile: 'tasklink-refresh-cookie' } as const;

export const FAULTS = {
  // Envelope and HTTP
  'success-envelope-broken': { description: 'successful answers omit the success flag', trips: ['ACC-ENV-001'] },
  'error-envelope-broken': { description: 'validation errors are answered in raw DRF form, without the envelope', trips: ['ACC-ENV-002', 'ACC-ENV-007', 'ACC-ENV-008'] },
  'unauthorized-envelope-broken': { description: '401 answers are raw {"detail": ...} without the envelope', trips: ['ACC-ENV-003'] },
  'not-found-html': { description: 'unknown endpoints answer an HTML 404 page', trips: ['ACC-ENV-004'] },
  'method-not-allowed-plain': { description: 'a wrong method answers 405 as text/plain', trips: ['ACC-ENV-005'] },
  'unsupported-media-type-500': { description: 'a body in an unsupported content type crashes with 500', trips: ['ACC-ENV-006'] },
  'malformed-json-500': { description: 'a malformed JSON body crashes with 500', trips: ['ACC-ENV-007'] },
  'non-object-json-500': { description: 'a JSON body that is not an object crashes with 500', trips: ['ACC-ENV-008'] },

  // Registration
  'register-returns-200': { description: 'registration answers 200 instead of 201', trips: ['ACC-REG-001'] },
  'register-omits-tokens': { description: 'registration answers without data.tokens', trips: ['ACC-REG-001'] },
  'register-drops-role': { description: 'registration stores every user as POSTER', trips: ['ACC-REG-002', 'ACC-REG-005'] },
  'register-rejects-both-role': { description: 'registration refuses the role BOTH', trips: ['ACC-REG-002', 'ACC-REG-005'] },
  'register-starts-verified': { description: 'new users start with the email marked verified', trips: ['ACC-REG-003'] },
  'register-ignores-full-name': { description: 'registration leaves profile.full_name empty', trips: ['ACC-REG-004'] },
  'phone-length-unchecked': { description: 'phone numbers of any length are accepted', trips: ['ACC-REG-006'] },
  'phone-prefix-unchecked': { description: 'phone numbers not starting with 92 are accepted', trips: ['ACC-REG-007'] },
  'phone-letters-accepted': { description: 'phone numbers containing letters are accepted', trips: ['ACC-REG-008'] },
  'email-format-unchecked': { description: 'emails are not validated', trips: ['ACC-REG-009'] },
  'email-optional': { description: 'registration without an email is accepted', trips: ['ACC-REG-010'] },
  'password-length-unchecked': { description: 'registration accepts passwords under 8 characters', trips: ['ACC-REG-011'] },
  'password-confirm-unchecked': { description: 'registration ignores password_confirm', trips: ['ACC-REG-012'] },
  'role-unchecked': { description: 'registration accepts any role string', trips: ['ACC-REG-013'] },
  'duplicate-email-accepted': { description: 'a second account with the same email is created', trips: ['ACC-REG-014'] },
  'duplicate-phone-accepted': { description: 'a second account with the same phone number is created', trips: ['ACC-REG-015'] },
  'register-mass-assignment': { description: 'registration applies is_*_verified, rating_avg and counters sent by the client', trips: ['ACC-REG-016'] },

  // Login
  'login-by-phone-broken': { description: 'login by phone number answers 401', trips: ['ACC-LOG-001'] },
  'login-by-email-broken': { description: 'login by email answers 401', trips: ['ACC-LOG-002'] },
  'accepts-wrong-password': { description: 'login succeeds whatever the password', trips: ['ACC-LOG-003'] },
  'wrong-password-400': { description: 'a wrong password answers 400 instead of 401', trips: ['ACC-LOG-003'] },
  'unknown-user-404': { description: 'login for an unknown user answers 404', trips: ['ACC-LOG-004'] },
  'login-token-unusable': { description: 'login hands out access tokens signed with a key the API does not accept', trips: ['ACC-LOG-005'] },
  'login-by-username-broken': { description: 'login by username answers 401', trips: ['ACC-LOG-006'] },

  // Refresh
  'refresh-broken': { description: 'refresh answers 500 for a valid refresh token', trips: ['ACC-REF-001'] },
  'refresh-access-unusable': { description: 'refreshed access tokens are signed with a key the API does not accept', trips: ['ACC-REF-002'] },
  'rotated-refresh-unusable': { description: 'refresh returns a new refresh token that is refused', trips: ['ACC-REF-003'] },
  // Reached in the cookie style on TaskLink; the university and message-data dialects prove them with the token in the body.
  'refresh-accepts-access-token': { description: 'refresh accepts an access token', trips: ['ACC-REF-004'], reach: COOKIE_REACH },
  'refresh-ignores-signature': { description: 'refresh does not verify the token signature', trips: ['ACC-REF-005'], reach: COOKIE_REACH },
  'refresh-garbage-500': { description: 'refresh crashes with 500 on a token that is not a JWT', trips: ['ACC-REF-006'] },

  // Authentication on protected endpoints
  'wallet-without-token': { description: 'the wallet answers without a token', trips: ['ACC-AUTH-001', 'ACC-WAL-003'] },
  'location-without-token': { description: 'update_location answers without a token', trips: ['ACC-AUTH-001', 'ACC-LOC-005'] },
  'malformed-auth-header-500': { description: 'a malformed Authorization header crashes with 500', trips: ['ACC-AUTH-002'] },
  'ignores-token-signature': { description: 'protected endpoints do not verify the access token signature', trips: ['ACC-AUTH-003'] },
  'accepts-alg-none': { description: 'protected endpoints accept unsigned tokens (alg none)', trips: ['ACC-AUTH-004'] },
  'accepts-refresh-as-access': { description: 'protected endpoints accept refresh tokens', trips: ['ACC-AUTH-005'] },

  // OTP
  'send-otp-email-broken': { description: 'send-otp for email answers 400', trips: ['ACC-OTP-001'] },
  'send-otp-phone-broken': { description: 'send-otp for phone answers 400', trips: ['ACC-OTP-002'] },
  'otp-type-unchecked': { description: 'send-otp accepts any type', trips: ['ACC-OTP-003'] },
  'verify-email-not-recorded': { description: 'verifying the email answers 200 but leaves is_email_verified false', trips: ['ACC-OTP-004'] },
  'verify-phone-sets-email-flag': { description: 'verifying the phone sets is_email_verified instead of is_phone_verified', trips: ['ACC-OTP-005'] },
  'accepts-wrong-otp': { description: 'verify-otp accepts any code once a code was sent', trips: ['ACC-OTP-006'] },
  'otp-reusable': { description: 'verification codes stay valid after use', trips: ['ACC-OTP-007'] },
  'otp-channel-unbound': { description: 'a code sent to one channel verifies the other', trips: ['ACC-OTP-008'] },

  // OTP sign-in (otpStyle sign-in)
  'signin-send-broken': { description: 'sending a sign-in code to a phone answers 500', trips: ['ACC-OTP-013'] },
  'signin-phone-unchecked': { description: 'sign-in codes are sent to malformed phone numbers', trips: ['ACC-OTP-018'] },
  'signin-omits-tokens': { description: 'the right sign-in code answers 200 without tokens', trips: ['ACC-OTP-014'] },
  'signin-accepts-wrong-code': { description: 'any code signs in once a code was sent', trips: ['ACC-OTP-015'] },
  'signin-code-reusable': { description: 'sign-in codes stay valid after use', trips: ['ACC-OTP-016'] },
  'signin-code-unbound': { description: 'a sign-in code sent to any phone signs in every phone', trips: ['ACC-OTP-017'] },

  // Me
  'me-wrong-shape': { description: 'users/me answers counters as strings', trips: ['ACC-ME-001'] },
  'me-drops-full-name': { description: 'users/me answers an empty profile.full_name', trips: ['ACC-ME-002'] },

  // Profile update
  'update-me-rejects-multipart': { description: 'update_me answers 415 to multipart bodies', trips: ['ACC-PROF-001'] },
  'update-me-not-persisted': { description: 'update_me answers the changes but does not store them', trips: ['ACC-PROF-002'] },
  'profile-image-relative-url': { description: 'profile_image is a relative path', trips: ['ACC-PROF-001', 'ACC-PROF-003'] },
  'profile-image-not-served': { description: 'the profile_image URL answers 404', trips: ['ACC-PROF-003'] },
  'upload-accepts-non-image': { description: 'any file is accepted as profile image', trips: ['ACC-PROF-004'] },
  'update-role-unchecked': { description: 'update_me accepts any role string', trips: ['ACC-PROF-005'] },
  'gender-unchecked': { description: 'update_me accepts any gender', trips: ['ACC-PROF-006'] },
  'birth-date-unchecked': { description: 'update_me stores any date_of_birth string', trips: ['ACC-PROF-007'] },
  'email-change-keeps-verified': { description: 'changing the email keeps is_email_verified true', trips: ['ACC-PROF-008'] },
  'update-email-duplicate-accepted': { description: "update_me accepts another account's email", trips: ['ACC-PROF-009'] },
  'update-me-mass-assignment': { description: 'update_me applies is_*_verified and rating_avg sent by the client', trips: ['ACC-PROF-010'] },

  // Change password
  'change-password-500': { description: 'a valid password change crashes with 500', trips: ['ACC-PWD-001'] },
  'change-password-keeps-old': { description: 'after a change both the old and the new password log in', trips: ['ACC-PWD-002'] },
  'change-password-not-applied': { description: 'a password change answers 200 and changes nothing', trips: ['ACC-PWD-002', 'ACC-PWD-003'] },
  'old-password-unchecked': { description: 'change_password does not check the old password', trips: ['ACC-PWD-004'] },
  'new-password-confirm-unchecked': { description: 'change_password ignores new_password_confirm', trips: ['ACC-PWD-005'] },
  'change-password-without-old': { description: 'change_password checks old_password when given but does not require it', trips: ['ACC-PWD-007'] },
  'change-password-length-unchecked': { description: 'change_password accepts new passwords under 8 characters', trips: ['ACC-PWD-006'] },

  // Password reset
  'reset-send-phone-broken': { description: 'reset send_otp by phone number answers 400', trips: ['ACC-RST-001'] },
  'reset-send-email-broken': { description: 'reset send_otp by email answers 400', trips: ['ACC-RST-002'] },
  'reset-broken': { description: 'a reset with the right code crashes with 500', trips: ['ACC-RST-003'] },
  'reset-not-applied': { description: 'a reset answers 200 and changes nothing', trips: ['ACC-RST-004'] },
  'reset-accepts-wrong-otp': { description: 'a reset accepts any code', trips: ['ACC-RST-005'] },
  'reset-otp-reusable': { description: 'reset codes stay valid after use', trips: ['ACC-RST-006'] },
  'reset-confirm-unchecked': { description: 'a reset ignores new_password_confirm', trips: ['ACC-RST-007'] },
  'reset-otp-unbound': { description: 'a reset code issued to any account resets every account', trips: ['ACC-RST-008'] },
  'reset-token-reusable': { description: 'reset tokens stay valid after use', trips: ['ACC-RST-009'] },
  'reset-token-unchecked': { description: 'the last reset step answers a reset token it never issued as a done reset, without checking it (the update matches no account)', trips: ['ACC-RST-010'] },
  'reset-link-token-reusable': {
    description: 'a reset token mailed in a link (quirk reset-link-token) stays valid after use',
    trips: ['ACC-RST-006'],
    reach: { quirks: ['reset-link-token'], profile: 'tasklink-reset-token' },
  },
  'reset-link-token-unbound': {
    description: "a reset by a token mailed in a link (quirk reset-link-token) that names a username resets that username's account with any live token, whoever it was issued to",
    trips: ['ACC-RST-008'],
    reach: { quirks: ['reset-link-token'], profile: 'tasklink-reset-token-username' },
  },
  'reset-link-token-prefix-only': {
    description: 'a reset token mailed in a link (quirk reset-link-token) is compared on its first 8 characters only, so a token one character off resets the account',
    trips: ['ACC-RST-005'],
    reach: { quirks: ['reset-link-token'], profile: 'tasklink-reset-token' },
  },

  // Wallet
  'wallet-missing-for-new-user': { description: 'new users have no wallet (404)', trips: ['ACC-WAL-001'] },
  'wallet-shared': { description: 'every user is shown the same wallet', trips: ['ACC-WAL-002'] },

  // Location
  'location-500': { description: 'a valid location update crashes with 500', trips: ['ACC-LOC-001'] },
  'latitude-unchecked': { description: 'latitudes outside -90..90 are accepted', trips: ['ACC-LOC-002'] },
  'longitude-unchecked': { description: 'longitudes outside -180..180 are accepted', trips: ['ACC-LOC-003'] },
  'location-non-numeric-500': { description: 'a non-numeric coordinate crashes with 500', trips: ['ACC-LOC-004'] },
  // OTP hygiene
  'otp-unlimited-guesses': { description: 'verification codes survive any number of wrong guesses', trips: ['ACC-OTP-009'] },
  'otp-four-digits': { description: 'codes are 4 digits', trips: ['ACC-OTP-010'] },
  'otp-purpose-unbound': { description: 'a verification code also resets the password', trips: ['ACC-OTP-011'] },
  'otp-echoed': { description: 'send-otp answers carry the code in data', trips: ['ACC-OTP-012'] },
  'otp-sequential': { description: 'codes come from a counter: each code is the previous one plus one, whoever it is for', trips: ['ACC-OTP-020'] },
  'otp-shared-code': { description: 'every code of a 5-minute window is the same for every user, derived from the clock', trips: ['ACC-OTP-019'] },

  // Logout
  'logout-broken': { description: 'logout answers 500', trips: ['ACC-OUT-001'] },
  // On TaskLink, the logout of the quirk refresh-cookie (the refresh token in the cookie); the university dialect's takes it in the body.
  'logout-keeps-refresh': { description: 'logout answers success and blacklists nothing', trips: ['ACC-OUT-002'], reach: COOKIE_REACH },
  'logout-without-token': { description: 'logout answers without an access token', trips: ['ACC-OUT-003'], reach: COOKIE_REACH },

  // Tokens
  'accepts-truncated-token': { description: 'a token whose signature is cut short is accepted', trips: ['ACC-TOK-001'] },
  'long-lived-access-token': { description: 'access tokens live 24 hours', trips: ['ACC-TOK-002'] },
  'no-www-authenticate': { description: '401 answers carry no WWW-Authenticate header', trips: ['ACC-TOK-003'] },

  // JWT attacks
  'accepts-alg-none-any-case': { description: 'a blocklist refuses alg "none" but accepts unsigned tokens whose alg is "None", "NONE" or "nOnE"', trips: ['ACC-JWT-001'] },
  'accepts-empty-key': { description: 'protected endpoints also accept a token whose HS256 MAC was made with an empty key (so the kid-named empty keys pass too)', trips: ['ACC-JWT-002', 'ACC-JWT-004'] },
  'weak-signing-key': { description: 'tokens are signed with "your-256-bit-secret" (the jwt.io example secret)', trips: ['ACC-JWT-003'] },
  'kid-path-traversal': { description: 'the HS256 key is read from the file the kid header names, so ../../dev/null is an empty key', trips: ['ACC-JWT-004'] },
  'trusts-jku': { description: 'an RS256 token is verified with the key of the JWK Set its own jku or x5u header points at', trips: ['ACC-JWT-005'] },
  'iat-not-numeric': { description: 'issued tokens carry iat as an ISO date string', trips: ['ACC-JWT-006'] },
  'refresh-never-expires': { description: 'refresh tokens carry no exp and are accepted without one', trips: ['ACC-JWT-007'] },

  // Sessions
  'tokens-survive-password-change': { description: 'access tokens issued before a password change keep working', trips: ['ACC-SES-001'] },
  'refresh-survives-password-change': { description: 'refresh tokens issued before a password change keep working', trips: ['ACC-SES-002'] },
  'tokens-survive-reset': { description: 'tokens issued before a password reset keep working', trips: ['ACC-SES-003'] },

  // Enumeration
  'reset-enumeration': { description: 'reset send_otp answers 400 for an unknown identifier', trips: ['ACC-ENUM-001'] },
  'login-enumeration': { description: 'login names the username field for an unknown user and the password field for a wrong password', trips: ['ACC-ENUM-002'] },

  // Exposure
  'leaks-password-hash': { description: 'users/me answers carry the password hash', trips: ['ACC-EXP-001'] },
  'wallet-balance-assignable': { description: 'register and update_me apply a balance sent by the client to the wallet', trips: ['ACC-EXP-002'] },
  'me-returns-latest-user': { description: 'users/me answers the most recently registered user, whatever the token', trips: ['ACC-EXP-003'] },

  // Authorization between users
  'me-honours-query-user-id': { description: 'users/me answers the user named by ?user_id=, whatever the token', trips: ['ACC-BOLA-001'] },
  'wallet-honours-query-user-id': { description: 'the wallet answers the wallet of the user named by ?user_id=, whatever the token', trips: ['ACC-BOLA-001'] },
  'user-path-id-unchecked': {
    description: 'users/{id}/ (quirk user-path-ids) reads and updates whichever user the path names, not only the caller',
    trips: ['ACC-BOLA-004'],
    reach: { quirks: ['user-path-ids'], profile: 'tasklink-user-paths' },
  },
  'profile-update-honours-body-user-id': { description: 'update_me applies the update to the user named by user_id in the body', trips: ['ACC-BOLA-002'] },
  'verify-otp-accepts-other-users-code': { description: "verify-otp accepts a live code of any account on the channel and verifies the caller", trips: ['ACC-BOLA-003'] },
  // Information leaks
  'error-stack-trace': { description: "error answers carry the exception's stack trace (a debug mode left on)", trips: ['ACC-LEAK-001'] },
  'echoes-refused-input': { description: 'refused requests are answered with the submitted body echoed back, passwords included', trips: ['ACC-LEAK-002'] },
  'token-answers-cacheable': { description: 'successful answers, tokens included, are sent without Cache-Control: no-store', trips: ['ACC-LEAK-003'] },

  // Uploads
  'upload-trusts-content-type': { description: 'any file labelled image/* with an image name is accepted', trips: ['ACC-UPL-001'] },
  'upload-accepts-svg': { description: 'SVG uploads are accepted and served as image/svg+xml', trips: ['ACC-UPL-002'] },
  'upload-unbounded': { description: 'uploads of any size are accepted (no 10 MiB cap for multipart)', trips: ['ACC-UPL-003'] },
  'upload-keeps-filename': { description: 'the uploaded file name is kept verbatim in the stored path and URL', trips: ['ACC-UPL-004'] },

  // Robustness
  'long-input-500': { description: 'a full name longer than 5000 characters crashes registration with 500', trips: ['ACC-ROB-001'] },
  'nul-char-500': { description: 'a NUL character in a string crashes registration with 500', trips: ['ACC-ROB-002'] },
  'wrong-types-500': { description: 'a non-string password crashes registration with 500', trips: ['ACC-ROB-003'] },
  'xml-body-500': { description: 'an XML body crashes update_location with 500', trips: ['ACC-ROB-004'] },

  // Validation pitfalls of common frameworks
  'unicode-digits-accepted': { description: "phone digits are matched as Python's \\d does: Arabic-Indic and fullwidth digits pass and are stored as sent", trips: ['ACC-VAL-001'] },
  'regex-dollar-newline': { description: "the phone number is not trimmed and is matched as Python's $ does: a final newline passes and is stored", trips: ['ACC-VAL-002'] },
  'birth-date-shape-only': { description: 'date_of_birth is checked by its shape only (month 01-12, day 01-31): 2023-02-30 is stored', trips: ['ACC-VAL-003'] },
  'coordinate-nan-accepted': { description: "coordinates are read as Python's float() reads them: the strings NaN and Infinity pass, and NaN passes the range check", trips: ['ACC-VAL-004'] },
  'email-domain-case-distinct': { description: 'email uniqueness compares addresses exactly: user@Example.COM is a second account beside user@example.com', trips: ['ACC-VAL-005'] },
  'login-email-case-sensitive': { description: 'login finds an account only by its email exactly as stored, domain case included', trips: ['ACC-VAL-006'] },
  'email-leading-space-kept': { description: 'the email is validated trimmed but stored with only its end trimmed: leading spaces are kept', trips: ['ACC-VAL-007'] },
  'email-length-unchecked': { description: 'emails longer than 254 characters are accepted and stored', trips: ['ACC-VAL-008'] },

  // Resource exhaustion
  'password-hash-unbounded': { description: 'passwords over 4096 characters are hashed before any length check, at a cost that grows with the length (1 MiB: 20 s)', trips: ['ACC-DOS-001'] },
  'large-json-500': { description: 'a JSON body over 4 MiB crashes with 500', trips: ['ACC-DOS-002'] },
  'deep-json-500': { description: "a JSON body nested more than 1,000 levels deep crashes with 500, as Python's json raises RecursionError", trips: ['ACC-DOS-003'] },
  'many-parts-500': { description: 'a multipart body of more than 200 parts crashes with 500 instead of 400', trips: ['ACC-DOS-004'] },

  // Races
  'register-race': { description: 'registration checks email uniqueness, then yields before storing: concurrent registrations all succeed', trips: ['ACC-RACE-001'] },
  'otp-verify-race': { description: 'verify-otp yields between checking and consuming the code', trips: ['ACC-RACE-002'] },
  'reset-race': { description: 'a reset yields between checking and consuming the code', trips: ['ACC-RACE-003'] },
  'rotate-refresh-race': { description: 'refresh rotates and blacklists, but yields between checking and blacklisting', trips: ['ACC-RACE-004'] },

  // Throttling
  'no-login-throttling': { description: 'failed logins are never throttled', trips: ['ACC-THR-001'] },
  'no-retry-after': { description: '429 answers carry no Retry-After', trips: ['ACC-THR-002'] },
  'no-otp-send-throttling': { description: 'send-otp is never throttled', trips: ['ACC-THR-003'] },
  'no-reset-send-throttling': { description: 'reset send_otp is never throttled', trips: ['ACC-THR-004'] },

  // Expiry
  'ignores-token-expiry': { description: 'expired access tokens are accepted', trips: ['ACC-CLK-001'] },
  'otp-never-expires': { description: 'verification codes never expire', trips: ['ACC-CLK-002'] },
  'permanent-lockout': { description: 'an account throttled for failed logins stays locked for good', trips: ['ACC-CLK-003'] },
  'logout-keeps-session': {
    description: 'the session logout (quirk session-logout) answers success but the token keeps working',
    trips: ['ACC-OUT-004'],
    reach: { quirks: ['session-logout'], profile: 'tasklink-session-token' },
  },
  'alg-confusion': {
    description: 'with RS256 tokens (quirk rs256-tokens), an HS256 token whose MAC key is the published public key in PEM is accepted too, as verifiers that take one "secret or public key" do',
    trips: ['ACC-JWT-008'],
    reach: { quirks: ['rs256-tokens'], profile: 'tasklink-rs256' },
  },
  'ignores-refresh-expiry': { description: 'refresh accepts refresh tokens past their exp', trips: ['ACC-CLK-004'] },
  'ignores-token-nbf': { description: 'protected endpoints accept access tokens before their nbf', trips: ['ACC-CLK-005'] },

  // Enumeration by timing
  'login-timing-leak': { description: 'passwords are hashed at a production cost (scrypt N=16384), and a login for an unknown account is refused at once, without the verification a known account costs', trips: ['ACC-ENUM-003'] },
  'reset-timing-leak': { description: "a reset request for a known identifier delivers its message (150 ms) before answering; an unknown one answers at once", trips: ['ACC-ENUM-004'] },
} as const satisfies Record<string, Fault>;

export type FaultName = keyof typeof FAULTS;

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

/**
 * Faults of rules seed 000 does not have (logout, login by username, sign-in by a phone code, a
 * reset token): only the dialects with those endpoints implement them. The logout of the quirk
 * refresh-cookie implements two of the logout faults on TaskLink (reached with its profile).
 */
const OTHER_DIALECTS_ONLY: readonly FaultName[] = [
  'login-by-username-broken',
  'signin-send-broken',
  'signin-phone-unchecked',
  'signin-omits-tokens',
  'signin-accepts-wrong-code',
  'signin-code-reusable',
  'signin-code-unbound',
  'reset-token-reusable',
  'reset-token-unchecked',
  'logout-broken',
];

/**
 * Faults of the machinery every dialect shares (body reading, password hashing, error and
 * success rendering, login timing): each dialect whose profile applies their checks declares them.
 */
export const SHARED_MACHINERY_FAULTS = ['password-hash-unbounded', 'large-json-500', 'deep-json-500', 'error-stack-trace', 'echoes-refused-input', 'token-answers-cacheable', 'login-timing-leak'] as const satisfies readonly FaultName[];

/** Faults of the shared JWT verifier, for the dialects with protected operations and refresh tokens. */
export const JWT_FAULTS = ['accepts-alg-none-any-case', 'accepts-empty-key', 'weak-signing-key', 'kid-path-traversal', 'trusts-jku', 'iat-not-numeric', 'refresh-never-expires', 'ignores-refresh-expiry', 'ignores-token-nbf'] as const satisfies readonly FaultName[];

/** The faults the TaskLink dialect (seed 000) implements: all but those of other dialects' endpoints. */
export const TASKLINK_FAULTS: readonly FaultName[] = FAULT_NAMES.filter((name) => !OTHER_DIALECTS_ONLY.includes(name));

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}

/**
 * Deviations the contract allows. A server with any of them on is still conforming: the
 * self-tests run the suite against all of them at once and expect exit 0.
 */
export const QUIRKS = {
  'rotate-refresh': 'refresh returns a new refresh token and blacklists the old one (simplejwt ROTATE_REFRESH_TOKENS + BLACKLIST_AFTER_ROTATION)',
  gzip: 'JSON answers are gzip-compressed when the client accepts it',
  'extra-fields': 'every object in an answer carries extra properties',
  'other-messages': 'every message text differs from the examples in the seed',
  'numeric-ids': 'user and wallet ids are numeric strings instead of UUIDs',
  'rate-limit': 'tighter throttling than the default: 3 failed logins, 3 sends a minute',
  'refresh-rotation-race-safe': 'rotation with an atomic blacklist: concurrent refreshes of one token succeed exactly once',
  'session-extras':
    'every successful answer also hands out credentials the contract does not name, as Parse Server and API gateways do: a session token (r: and 32 hex) under sessionToken, an API key under apiKey and api_key, a Set-Cookie sid and an X-Session-Token header',
  'app-headers': 'every request must carry X-Application-Id: conformance-app (as Parse Server asks X-Parse-Application-Id), and the login X-Requested-With: XMLHttpRequest; otherwise 403. Reached with a profile that sends them',
  'me-null-when-signed-out': 'users/me answers a request without a valid token with 200 and a JSON null, as better-auth\'s get-session does, instead of 401. Reached with a profile whose me operation names that answer (unauthenticated)',
  'errors-as-array': 'errors are a list of {message, extensions: {field}} objects, as GraphQL servers answer them, instead of an object keyed by field. Reached with a profile that names response.errorField',
  'register-204': 'registration answers 204 with no body (no user, no tokens), as some stacks do; the app then logs in. Reached with a profile that says so',
  'update-204': 'the profile update answers 204 with no body instead of the updated user. Reached with a profile that says so (updateAnswersUser false)',
  'user-path-ids': 'the current user is also reached at users/{id}/ (GET reads, PUT/PATCH update), another user\'s id answering 404. Reached with a profile whose paths name {id}',
  'lockout-throttling': 'failed logins are throttled by locking the account (every login refused like a wrong password, the right one included, until the window ends) instead of 429, as Parse Server\'s accountLockout does',
  'send-otp-needs-email': 'send-otp also takes the signed-in user\'s own email (refused without it), as better-auth\'s send-verification-otp does. Reached with a profile that draws it from the user (fromUser)',
  'no-confirmation': 'registration, password change and reset take the new password once: no confirmation field is required or read. Reached with a profile that maps none',
  'login-by-email-too': 'the university dialect\'s login also takes the email in its username field. Reached with a profile that says so (alsoLoginWith)',
  'rs256-tokens': 'tokens are signed RS256 with an RSA key of the server\'s, published as a JWK Set at /.well-known/jwks.json; HS256 tokens are refused. Reached with a profile that names the key set (jwks)',
  'session-logout': 'a logout for session tokens at auth/logout/ (POST, with the token): it ends the session, so the token no longer opens anything. Reached with a profile that maps it',
  'reset-link-token':
    "a password reset mails a link with one token in its query string (…/choose_password?token=…&username=…) instead of a code, and takes {token, new_password, new_password_confirm} (a username too, optional, that must name the token's account), as Parse Server does; the OTP hook answers the mail. Reached with a profile whose resetStyle is token",
  'form-bodies': 'every endpoint also reads application/x-www-form-urlencoded bodies, as DRF does by default',
  'refresh-cookie':
    'the refresh token travels in an HttpOnly cookie: register and login answer the access token only and set refresh_token; refresh reads it from the Cookie header and sets a rotated one there; a logout at auth/logout/ (POST, with the access token) blacklists it. Reached with a profile that names the cookie',
  'global-rate-limit': 'past 20 requests a second (all endpoints together, test hooks excluded) every request is answered 429 with Retry-After: 1',
} as const;

export type QuirkName = keyof typeof QUIRKS;

export function isQuirkName(name: string): name is QuirkName {
  return Object.hasOwn(QUIRKS, name);
}
