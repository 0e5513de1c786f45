/**
 * The requirement catalogue: the single source of truth for every check the suite makes.
 * Test titles, JUnit properties, summary.json, `--list` and the README matrix all read it.
 * Ids are forever: a retired id stays retired and is never reused.
 */
export type Level = 'MUST' | 'SHOULD';

export const FLOWS = [
  'envelope',
  'register',
  'login',
  'refresh',
  'auth',
  'otp',
  'me',
  'profile',
  'password',
  'reset',
  'wallet',
  'location',
  'logout',
  'tokens',
  'sessions',
  'enumeration',
  'exposure',
  'uploads',
  'robustness',
  'races',
  'throttling',
  'expiry',
] as const;
export type Flow = (typeof FLOWS)[number];

/**
 * Flows that run alone, after all the others, one check at a time: they move the target's clock
 * or hammer one endpoint, which would disturb checks running beside them.
 */
export const EXCLUSIVE_FLOWS: readonly Flow[] = ['throttling', 'expiry'];

export interface Requirement {
  readonly id: string;
  readonly flow: Flow;
  readonly level: Level;
  /** Present tense, one line: what a conforming server does. */
  readonly title: string;
  /** Where the rule comes from: a seed section, an RFC or an OWASP ASVS clause. */
  readonly source: string;
  /** The quoted normative sentence, or why the rule holds. */
  readonly rationale?: string;
  /** Set when the check needs a real OTP read through the OTP source. */
  readonly needsOtp?: boolean;
  /** Set when the check needs the target's clock hook (--clock-hook). */
  readonly needsClock?: boolean;
  /** For SHOULD findings: why it is only a warning, and the usual fix on Django REST Framework + simplejwt. */
  readonly advice?: string;
}

const S = 'seed-000';

const entries = [
  // Envelope and HTTP
  { id: 'ACC-ENV-001', flow: 'envelope', level: 'MUST', title: 'a successful answer is application/json with success true, a string message and data', source: `${S} §Standard Response Format`, rationale: 'All API responses follow a consistent structure.' },
  { id: 'ACC-ENV-002', flow: 'envelope', level: 'MUST', title: 'a validation error is application/json with success false, a string message and errors mapping fields to message lists', source: `${S} §Standard Response Format` },
  { id: 'ACC-ENV-003', flow: 'envelope', level: 'MUST', title: 'a 401 answer follows the error envelope', source: `${S} §Standard Response Format` },
  { id: 'ACC-ENV-004', flow: 'envelope', level: 'MUST', title: 'an unknown endpoint answers 404 with the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.5` },
  { id: 'ACC-ENV-005', flow: 'envelope', level: 'MUST', title: 'a method the endpoint does not allow answers 405 with the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.6` },
  { id: 'ACC-ENV-006', flow: 'envelope', level: 'MUST', title: 'a body in an unsupported content type answers 415 with the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.16` },
  { id: 'ACC-ENV-007', flow: 'envelope', level: 'MUST', title: 'a malformed JSON body answers 400 with the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.1` },
  { id: 'ACC-ENV-008', flow: 'envelope', level: 'MUST', title: 'a JSON body that is not an object answers 400 with the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.1` },

  // Registration
  { id: 'ACC-REG-001', flow: 'register', level: 'MUST', title: 'registration with valid data answers 201 with the user and the tokens', source: `${S} §1. Registration` },
  { id: 'ACC-REG-002', flow: 'register', level: 'MUST', title: 'the registered user echoes the phone number, email and role given', source: `${S} §1. Registration` },
  { id: 'ACC-REG-003', flow: 'register', level: 'MUST', title: 'a new user starts with phone and email unverified', source: `${S} §1. Registration` },
  { id: 'ACC-REG-004', flow: 'register', level: 'MUST', title: 'the new user has a profile with the given full name', source: `${S} §1. Registration` },
  { id: 'ACC-REG-005', flow: 'register', level: 'MUST', title: 'each role POSTER, TASKER and BOTH is accepted at registration', source: `${S} §Role Management` },
  { id: 'ACC-REG-006', flow: 'register', level: 'MUST', title: 'a phone number that is not exactly 12 digits is refused with 400 and errors.phone_number', source: `${S} §Validation Rules` },
  { id: 'ACC-REG-007', flow: 'register', level: 'MUST', title: 'a phone number that does not start with 92 is refused with 400 and errors.phone_number', source: `${S} §Validation Rules` },
  { id: 'ACC-REG-008', flow: 'register', level: 'MUST', title: 'a phone number containing a letter is refused with 400 and errors.phone_number', source: `${S} §Validation Rules` },
  { id: 'ACC-REG-009', flow: 'register', level: 'MUST', title: 'an invalid email is refused with 400 and errors.email', source: `${S} §Validation Rules` },
  { id: 'ACC-REG-010', flow: 'register', level: 'MUST', title: 'a missing email is refused with 400 and errors.email', source: `${S} §Validation Rules`, rationale: "Email validation: 'Email is required'." },
  { id: 'ACC-REG-011', flow: 'register', level: 'MUST', title: 'a password under the minimum length (8 characters in seed 000) is refused with 400 and errors.password', source: `${S} §Validation Rules` },
  { id: 'ACC-REG-012', flow: 'register', level: 'MUST', title: 'a password_confirm that differs from the password is refused with 400', source: `${S} §1. Registration`, rationale: "The example error answer: 'password': ['Passwords do not match.']" },
  { id: 'ACC-REG-013', flow: 'register', level: 'MUST', title: 'an unknown role is refused with 400 and errors.role', source: `${S} §Role Management` },
  { id: 'ACC-REG-014', flow: 'register', level: 'MUST', title: 'an email that is already registered is refused with 400 and errors.email', source: `${S} §1. Registration; ASVS 5.0 6.x (account uniqueness)` },
  { id: 'ACC-REG-015', flow: 'register', level: 'MUST', title: 'a phone number that is already registered is refused with 400 and errors.phone_number', source: `${S} §1. Registration` },
  { id: 'ACC-REG-016', flow: 'register', level: 'MUST', title: 'verification flags, rating and counters sent at registration are ignored', source: `${S} §1. Registration; OWASP API3:2023`, rationale: 'A new user starts unverified with rating 0 and no tasks; a client must not be able to set them.' },

  // Login
  { id: 'ACC-LOG-001', flow: 'login', level: 'MUST', title: 'login by phone number answers 200 with the user and the tokens', source: `${S} §2. Login`, rationale: '"username": "923001234567", // Can be phone or email' },
  { id: 'ACC-LOG-002', flow: 'login', level: 'MUST', title: 'login by email answers 200 with the user and the tokens', source: `${S} §2. Login` },
  { id: 'ACC-LOG-003', flow: 'login', level: 'MUST', title: 'a wrong password is refused with 401 and the error envelope', source: `${S} §2. Login` },
  { id: 'ACC-LOG-004', flow: 'login', level: 'MUST', title: 'an unknown user is refused with 401 and the error envelope', source: `${S} §2. Login` },
  { id: 'ACC-LOG-005', flow: 'login', level: 'MUST', title: 'the access token from login is accepted on a protected endpoint', source: `${S} §Authentication Flow` },
  { id: 'ACC-LOG-006', flow: 'login', level: 'MUST', title: 'login by username answers 200 with the user and the tokens', source: 'seed-001 §1. User Login; seed-003 §Login Endpoint' },

  // Refresh
  { id: 'ACC-REF-001', flow: 'refresh', level: 'MUST', title: 'a valid refresh token answers 200 with a new access token in data.access', source: `${S} §Authentication Flow; simplejwt TokenRefreshView` },
  { id: 'ACC-REF-002', flow: 'refresh', level: 'MUST', title: 'the refreshed access token is accepted on a protected endpoint', source: `${S} §Token Refresh` },
  { id: 'ACC-REF-003', flow: 'refresh', level: 'MUST', title: 'a rotated refresh token, when one is returned, refreshes again', source: `${S} §Token Refresh`, rationale: 'Rotation is allowed; a refresh token the server hands out must work.' },
  { id: 'ACC-REF-004', flow: 'refresh', level: 'MUST', title: 'an access token presented as a refresh token is refused with 401', source: `${S} §Authentication; RFC 8725 §3.11` },
  { id: 'ACC-REF-005', flow: 'refresh', level: 'MUST', title: 'a refresh token with a tampered signature is refused with 401', source: `${S} §Authentication; RFC 7515 §5.2` },
  { id: 'ACC-REF-006', flow: 'refresh', level: 'MUST', title: 'a refresh token that is not a JWT is refused with 401', source: `${S} §Authentication` },

  // Authentication on protected endpoints
  { id: 'ACC-AUTH-001', flow: 'auth', level: 'MUST', title: 'every protected endpoint refuses a request without a token with 401', source: `${S} §API Endpoints (Auth Required); RFC 6750 §3.1` },
  { id: 'ACC-AUTH-002', flow: 'auth', level: 'MUST', title: 'every protected endpoint refuses a malformed Authorization header with 401', source: `${S} §API Endpoints (Auth Required); RFC 6750 §3.1` },
  { id: 'ACC-AUTH-003', flow: 'auth', level: 'MUST', title: 'every protected endpoint refuses an access token with a tampered signature with 401', source: `${S} §API Endpoints (Auth Required); RFC 7515 §5.2` },
  { id: 'ACC-AUTH-004', flow: 'auth', level: 'MUST', title: "every protected endpoint refuses an unsigned token (alg none) with 401", source: `${S} §API Endpoints (Auth Required); RFC 8725 §3.1` },
  { id: 'ACC-AUTH-005', flow: 'auth', level: 'MUST', title: 'every protected endpoint refuses a refresh token used as an access token with 401', source: `${S} §API Endpoints (Auth Required); RFC 8725 §3.11` },

  // OTP
  { id: 'ACC-OTP-001', flow: 'otp', level: 'MUST', title: 'send-otp for email answers 200', source: `${S} §3. Send OTP` },
  { id: 'ACC-OTP-002', flow: 'otp', level: 'MUST', title: 'send-otp for phone answers 200', source: `${S} §3. Send OTP` },
  { id: 'ACC-OTP-003', flow: 'otp', level: 'MUST', title: 'send-otp with an unknown type is refused with 400', source: `${S} §OTP Verification`, rationale: 'Two types: email and phone.' },
  { id: 'ACC-OTP-004', flow: 'otp', level: 'MUST', title: 'the right email code answers 200 and marks the email verified', source: `${S} §4. Verify OTP`, needsOtp: true },
  { id: 'ACC-OTP-005', flow: 'otp', level: 'MUST', title: 'the right phone code answers 200 and marks the phone verified', source: `${S} §4. Verify OTP`, needsOtp: true },
  { id: 'ACC-OTP-006', flow: 'otp', level: 'MUST', title: 'a wrong code is refused with 400 and errors.otp', source: `${S} §4. Verify OTP` },
  { id: 'ACC-OTP-007', flow: 'otp', level: 'MUST', title: 'a code that was already used is refused', source: `${S} §4. Verify OTP; ASVS 5.0 6.5.1`, needsOtp: true },
  { id: 'ACC-OTP-008', flow: 'otp', level: 'MUST', title: 'an email code does not verify the phone', source: `${S} §OTP Verification`, needsOtp: true },

  // Me
  { id: 'ACC-ME-001', flow: 'me', level: 'MUST', title: 'users/me answers 200 with the user shape', source: `${S} §5. Get Profile` },
  { id: 'ACC-ME-002', flow: 'me', level: 'MUST', title: 'users/me describes the registered user', source: `${S} §5. Get Profile` },

  // Profile update
  { id: 'ACC-PROF-001', flow: 'profile', level: 'MUST', title: 'a multipart update with dotted field names and an image answers 200 with the changes', source: `${S} §6. Update Profile (with Image)` },
  { id: 'ACC-PROF-002', flow: 'profile', level: 'MUST', title: 'the changes of a profile update show in users/me', source: `${S} §6. Update Profile (with Image)` },
  { id: 'ACC-PROF-003', flow: 'profile', level: 'MUST', title: 'profile_image is an absolute URL that serves the uploaded image', source: `${S} §Profile Image Upload`, rationale: 'Returns full URL in response.' },
  { id: 'ACC-PROF-004', flow: 'profile', level: 'MUST', title: 'a file that is not an image is refused with 400', source: `${S} §Profile Image Upload; ASVS 5.0 5.2.2` },
  { id: 'ACC-PROF-005', flow: 'profile', level: 'MUST', title: 'an unknown role in a profile update is refused with 400', source: `${S} §Role Management` },
  { id: 'ACC-PROF-006', flow: 'profile', level: 'MUST', title: 'an unknown gender is refused with 400', source: `${S} §2. User Profile Model`, rationale: "gender; // 'M', 'F', 'O', 'N'" },
  { id: 'ACC-PROF-007', flow: 'profile', level: 'MUST', title: 'an invalid date of birth is refused with 400', source: `${S} §2. User Profile Model` },
  { id: 'ACC-PROF-008', flow: 'profile', level: 'MUST', title: 'changing the email resets is_email_verified', source: `${S} §6. Update Profile (with Image)`, rationale: 'The example answer shows is_email_verified false after the email changed.', needsOtp: true },
  { id: 'ACC-PROF-009', flow: 'profile', level: 'MUST', title: 'an email owned by another account is refused with 400 and errors.email', source: `${S} §6. Update Profile (with Image)` },
  { id: 'ACC-PROF-010', flow: 'profile', level: 'MUST', title: 'verification flags and rating sent in a profile update are ignored', source: `${S} §6. Update Profile (with Image); OWASP API3:2023` },

  // Change password
  { id: 'ACC-PWD-001', flow: 'password', level: 'MUST', title: 'a valid password change answers 200', source: `${S} §7. Change Password` },
  { id: 'ACC-PWD-002', flow: 'password', level: 'MUST', title: 'after a password change the old password no longer logs in', source: `${S} §7. Change Password` },
  { id: 'ACC-PWD-003', flow: 'password', level: 'MUST', title: 'after a password change the new password logs in', source: `${S} §7. Change Password` },
  { id: 'ACC-PWD-004', flow: 'password', level: 'MUST', title: 'a wrong old password is refused with 400 and errors.old_password', source: `${S} §7. Change Password` },
  { id: 'ACC-PWD-005', flow: 'password', level: 'MUST', title: 'a new_password_confirm that differs is refused with 400', source: `${S} §7. Change Password` },
  { id: 'ACC-PWD-006', flow: 'password', level: 'MUST', title: 'a new password under 8 characters is refused with 400', source: `${S} §Validation Rules` },

  // Password reset
  { id: 'ACC-RST-001', flow: 'reset', level: 'MUST', title: 'a reset code requested by phone number answers 200', source: `${S} §8. Password Reset Flow` },
  { id: 'ACC-RST-002', flow: 'reset', level: 'MUST', title: 'a reset code requested by email answers 200', source: `${S} §8. Password Reset Flow` },
  { id: 'ACC-RST-003', flow: 'reset', level: 'MUST', title: 'a reset with the right code answers 200', source: `${S} §8. Password Reset Flow`, needsOtp: true },
  { id: 'ACC-RST-004', flow: 'reset', level: 'MUST', title: 'after a reset the old password fails and the new one logs in', source: `${S} §8. Password Reset Flow`, needsOtp: true },
  { id: 'ACC-RST-005', flow: 'reset', level: 'MUST', title: 'a reset with a wrong code is refused with 400', source: `${S} §8. Password Reset Flow` },
  { id: 'ACC-RST-006', flow: 'reset', level: 'MUST', title: 'a reset code that was already used is refused with 400', source: `${S} §8. Password Reset Flow; ASVS 5.0 6.5.1`, needsOtp: true },
  { id: 'ACC-RST-007', flow: 'reset', level: 'MUST', title: 'a reset whose confirmation differs is refused with 400 and changes nothing', source: `${S} §8. Password Reset Flow`, needsOtp: true },
  { id: 'ACC-RST-008', flow: 'reset', level: 'MUST', title: 'a reset code issued to another account is refused with 400', source: `${S} §8. Password Reset Flow; ASVS 5.0 6.5.1`, needsOtp: true },
  { id: 'ACC-RST-009', flow: 'reset', level: 'MUST', title: 'a reset token that was already used is refused', source: 'seed-004 §4.3 Reset Password; ASVS 5.0 6.5.1', rationale: '"reset_token": Required, valid token from step 2; errors read "Invalid or expired reset token".', needsOtp: true },
  { id: 'ACC-RST-010', flow: 'reset', level: 'MUST', title: 'a made-up reset token is refused and changes nothing', source: 'seed-004 §4.3 Reset Password', needsOtp: true },

  // Wallet
  { id: 'ACC-WAL-001', flow: 'wallet', level: 'MUST', title: 'a new user has a wallet with a string id, a balance of at least 0 and date-times', source: `${S} §9. Get Wallet` },
  { id: 'ACC-WAL-002', flow: 'wallet', level: 'MUST', title: 'each user sees their own wallet', source: `${S} §9. Get Wallet; OWASP API1:2023` },
  { id: 'ACC-WAL-003', flow: 'wallet', level: 'MUST', title: 'the wallet refuses a request without a token with 401', source: `${S} §Wallet Endpoints (Auth Required)` },

  // Location
  { id: 'ACC-LOC-001', flow: 'location', level: 'MUST', title: 'a latitude and longitude in range answer 200', source: `${S} §User Profile Endpoints (update_location)` },
  { id: 'ACC-LOC-002', flow: 'location', level: 'MUST', title: 'a latitude outside -90..90 is refused with 400', source: `${S} §User Profile Endpoints (update_location); ISO 6709` },
  { id: 'ACC-LOC-003', flow: 'location', level: 'MUST', title: 'a longitude outside -180..180 is refused with 400', source: `${S} §User Profile Endpoints (update_location); ISO 6709` },
  { id: 'ACC-LOC-004', flow: 'location', level: 'MUST', title: 'a non-numeric coordinate is refused with 400', source: `${S} §User Profile Endpoints (update_location)` },
  { id: 'ACC-LOC-005', flow: 'location', level: 'MUST', title: 'update_location refuses a request without a token with 401', source: `${S} §User Profile Endpoints (Auth Required)` },
  // OTP hygiene
  { id: 'ACC-OTP-009', flow: 'otp', level: 'MUST', title: 'a code stops working after repeated wrong guesses', source: 'NIST SP 800-63B §5.2.2; ASVS 5.0 6.3.1', rationale: 'The verifier SHALL implement a rate-limiting mechanism that limits failed authentication attempts.', needsOtp: true },
  { id: 'ACC-OTP-010', flow: 'otp', level: 'MUST', title: 'codes are 6 digits', source: `${S} §OTP Verification`, rationale: 'OTP is 6 digits.', needsOtp: true },
  { id: 'ACC-OTP-011', flow: 'otp', level: 'MUST', title: 'a verification code does not reset the password', source: 'ASVS 5.0 6.5.1; NIST SP 800-63B §5.1.3.2', needsOtp: true },
  { id: 'ACC-OTP-012', flow: 'otp', level: 'MUST', title: 'no answer echoes a code', source: 'ASVS 5.0 6.5.x; NIST SP 800-63B §5.1.3.2', rationale: 'An out-of-band secret reaches only the out-of-band channel.', needsOtp: true },

  // Sign-in by a code sent to a phone (profiles whose otpStyle is sign-in)
  { id: 'ACC-OTP-013', flow: 'otp', level: 'MUST', title: 'a sign-in code sent to a phone number answers 200', source: 'seed-004 §2.1 Send OTP to Phone' },
  { id: 'ACC-OTP-014', flow: 'otp', level: 'MUST', title: 'the right sign-in code answers 200 with the user and the tokens', source: 'seed-004 §2.2 Verify OTP and Sign In', needsOtp: true },
  { id: 'ACC-OTP-015', flow: 'otp', level: 'MUST', title: 'a wrong sign-in code is refused and issues no tokens', source: 'seed-004 §2.2 Verify OTP and Sign In' },
  { id: 'ACC-OTP-016', flow: 'otp', level: 'MUST', title: 'a sign-in code signs in once', source: 'seed-004 §2.2; ASVS 5.0 6.5.1', needsOtp: true },
  { id: 'ACC-OTP-017', flow: 'otp', level: 'MUST', title: 'a sign-in code sent to one phone does not sign in another', source: 'seed-004 §2.2 Verify OTP and Sign In', rationale: '"phone": Required, must match the phone number OTP was sent to.', needsOtp: true },
  { id: 'ACC-OTP-018', flow: 'otp', level: 'MUST', title: 'a sign-in code for a malformed phone number is refused with 400', source: 'seed-004 §2.1 Send OTP to Phone', rationale: '"phone": Required, minimum 10 digits.' },

  // Logout
  { id: 'ACC-OUT-001', flow: 'logout', level: 'MUST', title: 'logout with the refresh token answers success', source: 'seed-001 §2. User Logout; seed-003 §Logout Endpoint' },
  { id: 'ACC-OUT-002', flow: 'logout', level: 'MUST', title: 'a refresh token that was logged out no longer refreshes', source: 'seed-001 §2. User Logout; ASVS 5.0 7.4.1', rationale: 'Logout user and blacklist refresh token.' },
  { id: 'ACC-OUT-003', flow: 'logout', level: 'MUST', title: 'logout refuses a request without an access token', source: 'seed-001 §2. User Logout (Bearer Token required); RFC 6750 §3.1' },

  // Tokens
  { id: 'ACC-TOK-001', flow: 'tokens', level: 'MUST', title: 'a truncated access token is refused with 401', source: 'RFC 7515 §5.2; RFC 8725 §3.1' },
  { id: 'ACC-TOK-002', flow: 'tokens', level: 'SHOULD', title: 'access tokens carry exp and live at most 60 minutes', source: 'RFC 8725 §3.10; ASVS 5.0 9.2.1', advice: 'A short access lifetime bounds the damage of a leaked token; simplejwt: SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] = timedelta(minutes=5..60).' },
  { id: 'ACC-TOK-003', flow: 'tokens', level: 'SHOULD', title: 'a 401 answer carries WWW-Authenticate: Bearer', source: 'RFC 6750 §3', advice: "The contract does not ask for it, so it is a warning; DRF sends it when the first authentication class defines authenticate_header (simplejwt's JWTAuthentication does): keep it first in DEFAULT_AUTHENTICATION_CLASSES and do not rewrite 401s without the header." },

  // Sessions
  { id: 'ACC-SES-001', flow: 'sessions', level: 'SHOULD', title: 'an access token issued before a password change stops working', source: 'ASVS 5.0 7.4.3; OWASP Session Management Cheat Sheet', advice: 'Stateless JWTs stay valid until exp; simplejwt: add a password-change timestamp claim check (or a token version) in a custom JWTAuthentication.' },
  { id: 'ACC-SES-002', flow: 'sessions', level: 'SHOULD', title: 'a refresh token issued before a password change is refused', source: 'ASVS 5.0 7.4.3', advice: 'simplejwt: enable rest_framework_simplejwt.token_blacklist and blacklist the outstanding tokens of the user (OutstandingToken) when the password changes.' },
  { id: 'ACC-SES-003', flow: 'sessions', level: 'SHOULD', title: 'tokens issued before a password reset stop working', source: 'ASVS 5.0 7.4.3', needsOtp: true, advice: 'Same fix as for a password change: blacklist the outstanding refresh tokens and reject access tokens older than the reset.' },

  // Enumeration
  { id: 'ACC-ENUM-001', flow: 'enumeration', level: 'SHOULD', title: 'a reset request for an unknown identifier is answered like one for a known identifier', source: 'ASVS 5.0 6.3.8; OWASP WSTG-IDNT-04', advice: 'Answer 200 with the same body whether or not the account exists, and send nothing.' },
  { id: 'ACC-ENUM-002', flow: 'enumeration', level: 'SHOULD', title: 'a login with an unknown user and one with a wrong password fail alike', source: 'ASVS 5.0 6.3.8; OWASP WSTG-IDNT-04', advice: "simplejwt's TokenObtainPairSerializer already answers both alike; keep custom login views to one error for both." },

  // Data exposure and mass assignment
  { id: 'ACC-EXP-001', flow: 'exposure', level: 'MUST', title: 'no answer carries the password or a password hash', source: 'OWASP API3:2023; ASVS 5.0 6.2.x' },
  { id: 'ACC-EXP-002', flow: 'exposure', level: 'MUST', title: 'counters and a wallet balance sent through register or update_me are ignored', source: 'OWASP API3:2023 (mass assignment)' },
  { id: 'ACC-EXP-003', flow: 'exposure', level: 'MUST', title: "a token only ever shows its own user's data", source: 'OWASP API1:2023 (broken object level authorization)' },

  // Uploads
  { id: 'ACC-UPL-001', flow: 'uploads', level: 'MUST', title: 'a file that is not an image is refused even with an image name and content type', source: 'ASVS 5.0 5.2.2; OWASP File Upload Cheat Sheet' },
  { id: 'ACC-UPL-002', flow: 'uploads', level: 'MUST', title: 'an SVG carrying script is refused or never served as SVG', source: 'ASVS 5.0 5.2.x; OWASP File Upload Cheat Sheet' },
  { id: 'ACC-UPL-003', flow: 'uploads', level: 'SHOULD', title: 'an oversized file is refused with a 4xx', source: 'ASVS 5.0 5.2.1', advice: 'Django accepts any size by default; set DATA_UPLOAD_MAX_MEMORY_SIZE and validate image size in the serializer (or cap client_max_body_size in the proxy).' },
  { id: 'ACC-UPL-004', flow: 'uploads', level: 'MUST', title: 'a path-traversal file name is neutralised', source: 'ASVS 5.0 5.3.2; OWASP File Upload Cheat Sheet' },

  // Input robustness
  { id: 'ACC-ROB-001', flow: 'robustness', level: 'MUST', title: 'very long strings never produce a 5xx', source: `${S} §Error Handling; ASVS 5.0 1.x (input validation)` },
  { id: 'ACC-ROB-002', flow: 'robustness', level: 'MUST', title: 'unicode and NUL characters never produce a 5xx', source: `${S} §Error Handling; ASVS 5.0 1.x` },
  { id: 'ACC-ROB-003', flow: 'robustness', level: 'MUST', title: 'nulls and wrong JSON types never produce a 5xx', source: `${S} §Error Handling; ASVS 5.0 1.x` },
  { id: 'ACC-ROB-004', flow: 'robustness', level: 'MUST', title: 'unexpected content types never produce a 5xx on any operation', source: `${S} §Standard Response Format; RFC 9110 §15.5.16` },

  // Races on single-use actions
  { id: 'ACC-RACE-001', flow: 'races', level: 'MUST', title: 'concurrent registrations with one email create exactly one account', source: `${S} §1. Registration (unique email)` },
  { id: 'ACC-RACE-002', flow: 'races', level: 'MUST', title: 'concurrent verifications with one code succeed exactly once', source: 'ASVS 5.0 6.5.1 (single use)', needsOtp: true },
  { id: 'ACC-RACE-003', flow: 'races', level: 'MUST', title: 'concurrent resets with one code succeed exactly once', source: 'ASVS 5.0 6.5.1 (single use)', needsOtp: true },
  { id: 'ACC-RACE-004', flow: 'races', level: 'SHOULD', title: 'concurrent refreshes of one rotating refresh token succeed exactly once', source: 'RFC 9700 §4.14.2', advice: 'simplejwt: with ROTATE_REFRESH_TOKENS and BLACKLIST_AFTER_ROTATION the blacklist insert races; lock the OutstandingToken row (select_for_update) in a custom TokenRefreshSerializer.' },

  // Brute force and rate limits (run alone, after the other flows)
  { id: 'ACC-THR-001', flow: 'throttling', level: 'MUST', title: 'repeated failed logins for one account are throttled before 100 attempts', source: 'NIST SP 800-63B §5.2.2', rationale: 'The verifier SHALL implement a rate-limiting mechanism that effectively limits failed authentication attempts ... to no more than 100.' },
  { id: 'ACC-THR-002', flow: 'throttling', level: 'SHOULD', title: 'a 429 answer carries Retry-After', source: 'RFC 6585 §4', advice: "DRF's throttles set Retry-After on 429 by themselves; custom lockouts (django-axes) need it added." },
  { id: 'ACC-THR-003', flow: 'throttling', level: 'SHOULD', title: 'send-otp is rate limited', source: `${S} §OTP Verification; ASVS 5.0 6.3.1`, rationale: 'Rate limited on backend.', advice: "DRF: a ScopedRateThrottle with throttle_scope = 'otp' on the send-otp view." },
  { id: 'ACC-THR-004', flow: 'throttling', level: 'SHOULD', title: 'reset send_otp is rate limited', source: 'ASVS 5.0 6.3.1', advice: "DRF: a ScopedRateThrottle on the password-reset send_otp view, keyed by identifier as well as by IP." },

  // Expiry (needs the clock hook; runs alone)
  { id: 'ACC-CLK-001', flow: 'expiry', level: 'MUST', title: 'an expired access token is refused with 401', source: 'RFC 7519 §4.1.4', rationale: 'The processing of the exp claim requires that the current date/time MUST be before the expiration date/time.', needsClock: true },
  { id: 'ACC-CLK-002', flow: 'expiry', level: 'MUST', title: 'a verification code expires', source: `${S} §4. Verify OTP; NIST SP 800-63B §5.1.3.2`, rationale: "The error answer reads 'Invalid or expired OTP'.", needsClock: true, needsOtp: true },
  { id: 'ACC-CLK-003', flow: 'expiry', level: 'SHOULD', title: 'a throttled login works again once the window has passed', source: 'NIST SP 800-63B §5.2.2', needsClock: true, advice: 'A permanent lockout lets anyone lock any account out; throttle for a window instead (DRF throttles and django-axes AXES_COOLOFF_TIME do).' },
] as const satisfies readonly Requirement[];

export type RequirementId = (typeof entries)[number]['id'];

export const REQUIREMENTS: readonly Requirement[] = entries;

const byId = new Map<string, Requirement>(REQUIREMENTS.map((r) => [r.id, r]));

export function requirement(id: RequirementId): Requirement {
  const found = byId.get(id);
  if (!found) throw new Error(`unknown requirement id ${id}`);
  return found;
}

export function findRequirement(id: string): Requirement | undefined {
  return byId.get(id);
}

/** The test title for a requirement: `<ID> <present-tense statement>`. */
export function titleOf(id: RequirementId): string {
  return `${id} ${requirement(id).title}`;
}
