/**
 * The requirement catalogue: the single source of truth for every check the suite makes. Each
 * entry is the whole requirement: id, flow, level, statement, source, and what a check of it
 * needs (requirements/model.ts). Test titles, JUnit properties, summary.json, `--list` and the
 * README matrix all read it; applicability is computed from `needs` alone.
 * Ids are forever: a retired id stays retired and is never reused.
 *
 * Statements are dialect-neutral; placeholders in braces are rendered with the profile's own
 * wire names and statuses (requirements/statement.ts): `{invalid}` → "refused with 400",
 * `{error:register.email}` → "naming errors.email", `{op:me}` → "GET users/me/".
 */
import type { OperationId } from '../helpers/wire/profile.js';
import type { Flow, Needs, Requirement, SetupStep } from './model.js';

export { FLOWS, type Flow, type Level, type Requirement } from './model.js';

/**
 * Flows that run alone, after all the others, one check at a time: they move the target's clock
 * or hammer one endpoint, which would disturb checks running beside them.
 */
export const EXCLUSIVE_FLOWS: readonly Flow[] = ['throttling', 'expiry'];

const S = 'seed-000';

/** A check that makes users of its own and calls these operations. */
function withAccounts(operations: readonly OperationId[], more: Omit<Needs, 'operations'> = {}): Needs {
  return { ...more, operations, capabilities: ['accounts', ...(more.capabilities ?? [])] };
}

const entries = [
  // Envelope and HTTP
  { id: 'ACC-ENV-001', flow: 'envelope', level: 'MUST', levelElsewhere: 'SHOULD', title: 'a successful answer is application/json in the success envelope', source: `${S} §Standard Response Format`, rationale: 'All API responses follow a consistent structure.', needs: withAccounts(['login']) },
  { id: 'ACC-ENV-002', flow: 'envelope', level: 'MUST', levelElsewhere: 'SHOULD', title: 'a validation error is {invalid}, application/json in the error envelope', source: `${S} §Standard Response Format`, needs: { operations: ['login'] } },
  { id: 'ACC-ENV-003', flow: 'envelope', level: 'MUST', levelElsewhere: 'SHOULD', title: 'an unauthenticated request to {op:me} is {unauthorized} in the error envelope', source: `${S} §Standard Response Format`, needs: { operations: ['me'], capabilities: ['meRefusesSignedOut'] } },
  { id: 'ACC-ENV-004', flow: 'envelope', level: 'MUST', levelElsewhere: 'SHOULD', title: 'an unknown endpoint is {notFound} in the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.5`, needs: {} },
  { id: 'ACC-ENV-005', flow: 'envelope', level: 'MUST', levelElsewhere: 'SHOULD', title: 'a method the endpoint does not allow is {methodNotAllowed} in the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.6`, needs: { operations: ['login'] } },
  { id: 'ACC-ENV-006', flow: 'envelope', level: 'MUST', levelElsewhere: 'SHOULD', title: 'a body in an unsupported content type is {unsupportedMediaType} in the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.16`, needs: { operations: ['login'] } },
  { id: 'ACC-ENV-007', flow: 'envelope', level: 'MUST', levelElsewhere: 'SHOULD', title: 'a malformed JSON body is {invalid} in the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.1`, needs: { operations: ['login'], capabilities: ['jsonLogin'] } },
  { id: 'ACC-ENV-008', flow: 'envelope', level: 'MUST', levelElsewhere: 'SHOULD', title: 'a JSON body that is not an object is {invalid} in the error envelope', source: `${S} §Standard Response Format; RFC 9110 §15.5.1`, needs: { operations: ['login'], capabilities: ['jsonLogin'] } },

  // Registration
  { id: 'ACC-REG-001', flow: 'register', level: 'MUST', title: 'registration with valid data {ok:register} with the user and, where the API issues them at registration, the tokens', source: `${S} §1. Registration`, needs: { operations: ['register'], response: ['authData'] } },
  { id: 'ACC-REG-002', flow: 'register', level: 'MUST', title: 'the registered user echoes the phone number, email and role given, of those registration takes', source: `${S} §1. Registration`, needs: { operations: ['register'], requestAny: { register: ['phone', 'email', 'role'] }, response: ['authUser'] }, dependsOn: ['ACC-REG-001'] },
  { id: 'ACC-REG-003', flow: 'register', level: 'MUST', title: 'a new user starts with phone and email unverified ({user:phoneVerified}, {user:emailVerified})', source: `${S} §1. Registration`, needs: { operations: ['register'], user: ['phoneVerified', 'emailVerified'], response: ['authUser'] }, dependsOn: ['ACC-REG-001'] },
  { id: 'ACC-REG-004', flow: 'register', level: 'MUST', title: 'the new user has the full name given ({user:fullName})', source: `${S} §1. Registration`, needs: { operations: ['register'], request: { register: ['fullName'] }, user: ['fullName'], response: ['authUser'] }, dependsOn: ['ACC-REG-001'] },
  { id: 'ACC-REG-005', flow: 'register', level: 'MUST', title: 'each role the API names is accepted at registration and echoed ({user:role})', source: `${S} §Role Management`, needs: { operations: ['register'], request: { register: ['role'] }, user: ['role'], response: ['authUser'], capabilities: ['roles'] }, dependsOn: ['ACC-REG-001'] },
  { id: 'ACC-REG-006', flow: 'register', level: 'MUST', title: 'a phone number that is not exactly {rule:phoneDigits} digits is {invalid}, {error:register.phone}', source: `${S} §Validation Rules`, needs: { operations: ['register'], request: { register: ['phone'] } } },
  { id: 'ACC-REG-007', flow: 'register', level: 'MUST', title: 'a phone number that does not start with {rule:phonePrefix} is {invalid}, {error:register.phone}', source: `${S} §Validation Rules`, needs: { operations: ['register'], request: { register: ['phone'] } } },
  { id: 'ACC-REG-008', flow: 'register', level: 'MUST', title: 'a phone number containing a letter is {invalid}, {error:register.phone}', source: `${S} §Validation Rules`, needs: { operations: ['register'], request: { register: ['phone'] } } },
  { id: 'ACC-REG-009', flow: 'register', level: 'MUST', title: 'an invalid email is {invalid}, {error:register.email}', source: `${S} §Validation Rules`, needs: { operations: ['register'], request: { register: ['email'] } } },
  { id: 'ACC-REG-010', flow: 'register', level: 'MUST', title: 'a missing email is {invalid}, {error:register.email}', source: `${S} §Validation Rules`, rationale: "Email validation: 'Email is required'.", needs: { operations: ['register'], omitted: { register: ['email'] } } },
  { id: 'ACC-REG-011', flow: 'register', level: 'MUST', title: 'a password one character under the minimum length ({rule:minPasswordLength}) is {invalid}, {error:register.password}', source: `${S} §Validation Rules`, needs: { operations: ['register'], request: { register: ['password'] } } },
  { id: 'ACC-REG-012', flow: 'register', level: 'MUST', title: 'a password confirmation ({field:register.passwordConfirm}) that differs from the password is {invalid}', source: `${S} §1. Registration`, rationale: "The example error answer: 'password': ['Passwords do not match.']", needs: { operations: ['register'], request: { register: ['password', 'passwordConfirm'] } } },
  { id: 'ACC-REG-013', flow: 'register', level: 'MUST', title: 'an unknown role is {invalid}, {error:register.role}', source: `${S} §Role Management`, needs: { operations: ['register'], request: { register: ['role'] } } },
  { id: 'ACC-REG-014', flow: 'register', level: 'MUST', title: 'an email that is already registered is {invalid}, {error:register.email}', source: `${S} §1. Registration; ASVS 5.0 6.x (account uniqueness)`, needs: { operations: ['register'], request: { register: ['email'] }, capabilities: ['accounts'] }, dependsOn: ['ACC-REG-001'] },
  { id: 'ACC-REG-015', flow: 'register', level: 'MUST', title: 'a phone number that is already registered is {invalid}, {error:register.phone}', source: `${S} §1. Registration`, needs: { operations: ['register'], request: { register: ['phone'] }, capabilities: ['accounts'] }, dependsOn: ['ACC-REG-001'] },
  { id: 'ACC-REG-016', flow: 'register', level: 'MUST', title: 'verification flags, rating and counters sent at registration are ignored', source: `${S} §1. Registration; OWASP API3:2023`, rationale: 'A new user starts unverified with rating 0 and no tasks; a client must not be able to set them.', needs: { operations: ['register'], privileged: ['emailVerified', 'phoneVerified', 'rating', 'tasksPosted', 'tasksCompleted'], user: ['emailVerified', 'phoneVerified', 'rating', 'tasksPosted', 'tasksCompleted'], response: ['authUser'] }, dependsOn: ['ACC-REG-001', 'ACC-REG-003'] },

  // Login
  { id: 'ACC-LOG-001', flow: 'login', level: 'MUST', title: 'login by phone number {ok:login} with the tokens', source: `${S} §2. Login`, rationale: '"username": "923001234567", // Can be phone or email', needs: withAccounts(['login'], { request: { register: ['phone'], login: ['username', 'password'] }, response: ['loginData'] }) },
  { id: 'ACC-LOG-002', flow: 'login', level: 'MUST', title: 'login by email {ok:login} with the tokens', source: `${S} §2. Login`, needs: withAccounts(['login'], { request: { login: ['username', 'password'] }, response: ['loginData'], loginWith: 'email' }) },
  { id: 'ACC-LOG-003', flow: 'login', level: 'MUST', title: 'a wrong password is {badCredentials} in the error envelope', source: `${S} §2. Login; ASVS 5.0 6.2.x`, needs: withAccounts(['login'], { request: { login: ['username', 'password'] } }) },
  { id: 'ACC-LOG-004', flow: 'login', level: 'MUST', title: 'an unknown user is {badCredentials} in the error envelope', source: `${S} §2. Login; ASVS 5.0 6.2.x`, needs: { operations: ['login'], request: { login: ['username', 'password'] } } },
  { id: 'ACC-LOG-005', flow: 'login', level: 'MUST', title: 'the access token from login is accepted by {op:me}', source: `${S} §Authentication Flow`, needs: withAccounts(['login', 'me']) },
  { id: 'ACC-LOG-006', flow: 'login', level: 'MUST', title: 'login by username {ok:login} with the tokens', source: 'seed-001 §1. User Login; seed-003 §Login Endpoint', needs: withAccounts(['login'], { request: { login: ['username', 'password'] }, response: ['loginData'], loginWith: 'username' }) },

  // Refresh
  { id: 'ACC-REF-001', flow: 'refresh', level: 'MUST', title: 'a valid refresh token {ok:refresh} with a new access token', source: `${S} §Authentication Flow; RFC 6749 §6`, needs: withAccounts(['refresh'], { request: { refresh: ['refresh'] }, response: ['refreshAccess'], capabilities: ['refreshToken'] }) },
  { id: 'ACC-REF-002', flow: 'refresh', level: 'MUST', title: 'the refreshed access token is accepted by {op:me}', source: `${S} §Token Refresh`, needs: withAccounts(['refresh', 'me'], { request: { refresh: ['refresh'] }, response: ['refreshAccess'], capabilities: ['refreshToken'] }), dependsOn: ['ACC-REF-001'] },
  { id: 'ACC-REF-003', flow: 'refresh', level: 'MUST', title: 'a rotated refresh token, when one is returned, refreshes again', source: `${S} §Token Refresh; RFC 6749 §6`, rationale: 'Rotation is allowed; a refresh token the server hands out must work.', needs: withAccounts(['refresh'], { request: { refresh: ['refresh'] }, capabilities: ['refreshToken'] }), dependsOn: ['ACC-REF-001'] },
  { id: 'ACC-REF-004', flow: 'refresh', level: 'MUST', title: 'an access token presented as a refresh token is {unauthorized}', source: `${S} §Authentication; RFC 8725 §3.11`, needs: withAccounts(['refresh'], { request: { refresh: ['refresh'] }, capabilities: ['refreshToken'] }) },
  { id: 'ACC-REF-005', flow: 'refresh', level: 'MUST', title: 'a refresh token with a tampered signature is {unauthorized}', source: `${S} §Authentication; RFC 7515 §5.2`, needs: withAccounts(['refresh'], { request: { refresh: ['refresh'] }, capabilities: ['refreshToken'] }) },
  { id: 'ACC-REF-006', flow: 'refresh', level: 'MUST', title: 'a refresh token that is not a JWT is {unauthorized}', source: `${S} §Authentication; RFC 6749 §5.2`, needs: { operations: ['refresh'], request: { refresh: ['refresh'] } } },

  // Authentication on protected endpoints
  { id: 'ACC-AUTH-001', flow: 'auth', level: 'MUST', title: 'every protected operation refuses a request without a token ({unauthorized})', source: `${S} §API Endpoints (Auth Required); RFC 6750 §3.1`, needs: withAccounts([], { capabilities: ['protectedOperation'] }) },
  { id: 'ACC-AUTH-002', flow: 'auth', level: 'MUST', title: 'every protected operation refuses a malformed credential header ({unauthorized})', source: `${S} §API Endpoints (Auth Required); RFC 6750 §3.1`, needs: withAccounts([], { capabilities: ['protectedOperation'] }) },
  { id: 'ACC-AUTH-003', flow: 'auth', level: 'MUST', title: 'every protected operation refuses an access token with a tampered signature ({unauthorized})', source: `${S} §API Endpoints (Auth Required); RFC 7515 §5.2`, needs: withAccounts([], { capabilities: ['protectedOperation'] }) },
  { id: 'ACC-AUTH-004', flow: 'auth', level: 'MUST', title: 'every protected operation refuses an unsigned token (alg none) ({unauthorized})', source: `${S} §API Endpoints (Auth Required); RFC 8725 §3.1`, needs: withAccounts([], { capabilities: ['protectedOperation'] }) },
  { id: 'ACC-AUTH-005', flow: 'auth', level: 'MUST', title: 'every protected operation refuses a refresh token used as an access token ({unauthorized})', source: `${S} §API Endpoints (Auth Required); RFC 8725 §3.11`, needs: withAccounts([], { capabilities: ['protectedOperation', 'refreshToken'] }) },

  // OTP
  { id: 'ACC-OTP-001', flow: 'otp', level: 'MUST', title: 'sending a code to the email {ok:sendOtp}', source: `${S} §3. Send OTP`, needs: withAccounts(['sendOtp'], { request: { sendOtp: ['channel'] }, otpStyle: 'verify' }) },
  { id: 'ACC-OTP-002', flow: 'otp', level: 'MUST', title: 'sending a code to the phone {ok:sendOtp}', source: `${S} §3. Send OTP`, needs: withAccounts(['sendOtp'], { request: { register: ['phone'], sendOtp: ['channel'] }, otpStyle: 'verify' }) },
  { id: 'ACC-OTP-003', flow: 'otp', level: 'MUST', levelElsewhere: 'SHOULD', title: 'sending a code to an unknown channel is {invalid}', source: `${S} §OTP Verification`, rationale: 'Two types: email and phone.', needs: withAccounts(['sendOtp'], { request: { sendOtp: ['channel'] }, otpStyle: 'verify' }) },
  { id: 'ACC-OTP-004', flow: 'otp', level: 'MUST', title: 'the right email code {ok:verifyOtp} and marks the email verified ({user:emailVerified})', source: `${S} §4. Verify OTP`, needs: withAccounts(['sendOtp', 'verifyOtp', 'me'], { request: { sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }, user: ['emailVerified'], capabilities: ['otpSource'], otpStyle: 'verify' }), dependsOn: ['ACC-OTP-001'] },
  { id: 'ACC-OTP-005', flow: 'otp', level: 'MUST', title: 'the right phone code {ok:verifyOtp} and marks the phone verified ({user:phoneVerified})', source: `${S} §4. Verify OTP`, needs: withAccounts(['sendOtp', 'verifyOtp', 'me'], { request: { register: ['phone'], sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }, user: ['phoneVerified'], capabilities: ['otpSource'], otpStyle: 'verify' }), dependsOn: ['ACC-OTP-002'] },
  { id: 'ACC-OTP-006', flow: 'otp', level: 'MUST', title: 'a wrong code is {invalid}, {error:verifyOtp.code}', source: `${S} §4. Verify OTP`, needs: withAccounts(['sendOtp', 'verifyOtp'], { request: { sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }, otpStyle: 'verify' }), dependsOn: ['ACC-OTP-001'] },
  { id: 'ACC-OTP-007', flow: 'otp', level: 'MUST', title: 'a code that was already used is {invalid}', source: `${S} §4. Verify OTP; ASVS 5.0 6.5.1`, needs: withAccounts(['sendOtp', 'verifyOtp'], { request: { sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }, capabilities: ['otpSource'], otpStyle: 'verify' }), dependsOn: ['ACC-OTP-004'] },
  { id: 'ACC-OTP-008', flow: 'otp', level: 'MUST', title: 'an email code does not verify the phone', source: `${S} §OTP Verification; ASVS 5.0 6.5.1`, needs: withAccounts(['sendOtp', 'verifyOtp', 'me'], { request: { sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }, user: ['phoneVerified'], capabilities: ['otpSource'], otpStyle: 'verify' }), dependsOn: ['ACC-OTP-001'] },

  // Me
  { id: 'ACC-ME-001', flow: 'me', level: 'MUST', title: '{op:me} {ok:me} with the user shape', source: `${S} §5. Get Profile`, needs: withAccounts(['me'], { response: ['user'] }) },
  { id: 'ACC-ME-002', flow: 'me', level: 'MUST', title: '{op:me} describes the registered user', source: `${S} §5. Get Profile`, needs: withAccounts(['me'], { response: ['user'], user: ['id'] }), dependsOn: ['ACC-ME-001'] },

  // Profile update
  { id: 'ACC-PROF-001', flow: 'profile', level: 'MUST', title: 'a profile update with an image ({field:updateProfile.image}) {ok:updateProfile} with the changes', source: `${S} §6. Update Profile (with Image)`, needs: withAccounts(['updateProfile'], { request: { updateProfile: ['image'] }, requestAny: { updateProfile: ['email', 'role', 'fullName', 'bio', 'dateOfBirth', 'gender'] }, user: ['image'], response: ['user'], capabilities: ['updateAnswersUser'] }) },
  { id: 'ACC-PROF-002', flow: 'profile', level: 'MUST', title: 'the changes of a profile update show in {op:me}', source: `${S} §6. Update Profile (with Image)`, needs: withAccounts(['updateProfile', 'me'], { requestAny: { updateProfile: ['email', 'role', 'fullName', 'bio', 'dateOfBirth', 'gender'] }, response: ['user'] }), dependsOn: ['ACC-PROF-001'] },
  { id: 'ACC-PROF-003', flow: 'profile', level: 'MUST', title: 'the profile image ({user:image}) is an absolute URL that serves the uploaded image', source: `${S} §Profile Image Upload`, rationale: 'Returns full URL in response.', needs: withAccounts(['updateProfile'], { request: { updateProfile: ['image'] }, user: ['image'], response: ['user'] }), dependsOn: ['ACC-PROF-002'] },
  { id: 'ACC-PROF-004', flow: 'profile', level: 'MUST', title: 'a file that is not an image is {invalid}', source: `${S} §Profile Image Upload; ASVS 5.0 5.2.2`, needs: withAccounts(['updateProfile'], { request: { updateProfile: ['image'] } }), dependsOn: ['ACC-PROF-001', 'ACC-PROF-002'] },
  { id: 'ACC-PROF-005', flow: 'profile', level: 'MUST', title: 'an unknown role in a profile update is {invalid}', source: `${S} §Role Management`, needs: withAccounts(['updateProfile'], { request: { updateProfile: ['role'] } }), dependsOn: ['ACC-PROF-001', 'ACC-PROF-002'] },
  { id: 'ACC-PROF-006', flow: 'profile', level: 'MUST', title: 'an unknown gender is {invalid}', source: `${S} §2. User Profile Model`, rationale: "gender; // 'M', 'F', 'O', 'N'", needs: withAccounts(['updateProfile'], { request: { updateProfile: ['gender'] } }), dependsOn: ['ACC-PROF-001', 'ACC-PROF-002'] },
  { id: 'ACC-PROF-007', flow: 'profile', level: 'MUST', title: 'an invalid date of birth is {invalid}', source: `${S} §2. User Profile Model`, needs: withAccounts(['updateProfile'], { request: { updateProfile: ['dateOfBirth'] } }), dependsOn: ['ACC-PROF-001', 'ACC-PROF-002'] },
  { id: 'ACC-PROF-008', flow: 'profile', level: 'MUST', title: 'changing the email resets the email verification ({user:emailVerified})', source: `${S} §6. Update Profile (with Image)`, rationale: 'The example answer shows is_email_verified false after the email changed.', needs: withAccounts(['updateProfile', 'me', 'sendOtp', 'verifyOtp'], { request: { updateProfile: ['email'], sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }, user: ['emailVerified'], response: ['user'], capabilities: ['otpSource'], otpStyle: 'verify' }), dependsOn: ['ACC-PROF-001', 'ACC-PROF-002', 'ACC-OTP-004'] },
  { id: 'ACC-PROF-009', flow: 'profile', level: 'MUST', title: 'an email owned by another account is {invalid}, {error:updateProfile.email}', source: `${S} §6. Update Profile (with Image); ASVS 5.0 6.x (account uniqueness)`, needs: withAccounts(['updateProfile'], { request: { updateProfile: ['email'] } }), dependsOn: ['ACC-PROF-001', 'ACC-PROF-002'] },
  { id: 'ACC-PROF-010', flow: 'profile', level: 'MUST', title: 'verification flags and rating sent in a profile update are ignored', source: `${S} §6. Update Profile (with Image); OWASP API3:2023`, needs: withAccounts(['updateProfile', 'me'], { privileged: ['emailVerified', 'phoneVerified', 'rating'], user: ['emailVerified', 'phoneVerified', 'rating'], response: ['user'] }), dependsOn: ['ACC-PROF-001', 'ACC-PROF-002'] },

  // Change password
  { id: 'ACC-PWD-001', flow: 'password', level: 'MUST', title: 'a valid password change {ok:changePassword}', source: `${S} §7. Change Password`, needs: withAccounts(['changePassword'], { request: { changePassword: ['newPassword'] } }) },
  { id: 'ACC-PWD-002', flow: 'password', level: 'MUST', title: 'after a password change the old password no longer logs in ({badCredentials})', source: `${S} §7. Change Password; ASVS 5.0 6.2.x`, needs: withAccounts(['changePassword', 'login'], { request: { changePassword: ['newPassword'] } }), dependsOn: ['ACC-PWD-001', 'ACC-LOG-003'] },
  { id: 'ACC-PWD-003', flow: 'password', level: 'MUST', title: 'after a password change the new password logs in', source: `${S} §7. Change Password`, needs: withAccounts(['changePassword', 'login'], { request: { changePassword: ['newPassword'] } }), dependsOn: ['ACC-PWD-001'] },
  { id: 'ACC-PWD-004', flow: 'password', level: 'MUST', title: 'a wrong old password is {invalid}, {error:changePassword.oldPassword}', source: `${S} §7. Change Password; ASVS 5.0 6.2.3`, needs: withAccounts(['changePassword'], { request: { changePassword: ['oldPassword', 'newPassword'] } }) },
  { id: 'ACC-PWD-005', flow: 'password', level: 'MUST', title: 'a new password confirmation ({field:changePassword.newPasswordConfirm}) that differs is {invalid}', source: `${S} §7. Change Password`, needs: withAccounts(['changePassword'], { request: { changePassword: ['newPassword', 'newPasswordConfirm'] } }) },
  { id: 'ACC-PWD-006', flow: 'password', level: 'MUST', title: 'a new password one character under the minimum length ({rule:minPasswordLength}) is {invalid}', source: `${S} §Validation Rules`, needs: withAccounts(['changePassword'], { request: { changePassword: ['newPassword'] } }) },

  // Password reset
  { id: 'ACC-RST-001', flow: 'reset', level: 'MUST', title: 'a reset requested by phone number {ok:resetRequest}', source: `${S} §8. Password Reset Flow`, needs: withAccounts(['resetRequest'], { request: { register: ['phone'], resetRequest: ['identifier'] } }) },
  { id: 'ACC-RST-002', flow: 'reset', level: 'MUST', title: 'a reset requested by email {ok:resetRequest}', source: `${S} §8. Password Reset Flow`, needs: withAccounts(['resetRequest'], { request: { resetRequest: ['identifier'] } }) },
  { id: 'ACC-RST-003', flow: 'reset', level: 'MUST', title: 'a reset with the right secret {ok:resetConfirm}', source: `${S} §8. Password Reset Flow`, needs: withAccounts(['resetRequest', 'resetConfirm'], { capabilities: ['resetFlow', 'otpSource'] }), dependsOn: ['ACC-RST-002'] },
  { id: 'ACC-RST-004', flow: 'reset', level: 'MUST', title: 'after a reset the old password fails and the new one logs in', source: `${S} §8. Password Reset Flow`, needs: withAccounts(['resetRequest', 'resetConfirm', 'login'], { capabilities: ['resetFlow', 'otpSource'] }), dependsOn: ['ACC-RST-003', 'ACC-LOG-003', 'ACC-RST-010'] },
  { id: 'ACC-RST-005', flow: 'reset', level: 'MUST', title: 'a reset with a wrong secret is {invalid}', source: `${S} §8. Password Reset Flow`, needs: withAccounts(['resetRequest', 'resetConfirm'], { capabilities: ['resetFlow'] }), dependsOn: ['ACC-RST-002'] },
  { id: 'ACC-RST-006', flow: 'reset', level: 'MUST', title: 'a reset secret that was already used is {invalid}', source: `${S} §8. Password Reset Flow; ASVS 5.0 6.5.1`, needs: withAccounts(['resetRequest', 'resetConfirm'], { capabilities: ['resetFlow', 'otpSource'] }), dependsOn: ['ACC-RST-003', 'ACC-RST-005'] },
  { id: 'ACC-RST-007', flow: 'reset', level: 'MUST', title: 'a reset whose confirmation differs is {invalid} and changes nothing', source: `${S} §8. Password Reset Flow`, needs: withAccounts(['resetRequest', 'resetConfirm', 'login'], { request: { resetConfirm: ['newPasswordConfirm'] }, capabilities: ['resetFlow', 'otpSource'] }), dependsOn: ['ACC-RST-002'] },
  { id: 'ACC-RST-008', flow: 'reset', level: 'MUST', title: 'a reset secret issued to another account is {invalid}', source: `${S} §8. Password Reset Flow; ASVS 5.0 6.5.1; OWASP API1:2023`, needs: withAccounts(['resetRequest', 'resetConfirm'], { capabilities: ['resetFlow', 'otpSource', 'realCodes'] }), dependsOn: ['ACC-RST-002', 'ACC-RST-005'] },
  { id: 'ACC-RST-009', flow: 'reset', level: 'MUST', title: 'a reset token that was already used is {invalid}', source: 'seed-004 §4.3 Reset Password; ASVS 5.0 6.5.1', rationale: '"reset_token": Required, valid token from step 2; errors read "Invalid or expired reset token".', needs: withAccounts(['resetRequest', 'resetVerify', 'resetConfirm'], { capabilities: ['resetFlow', 'otpSource'], resetStyles: ['three-step'], response: ['resetToken'] }), dependsOn: ['ACC-RST-002', 'ACC-RST-003', 'ACC-RST-010'] },
  { id: 'ACC-RST-010', flow: 'reset', level: 'MUST', title: 'a made-up reset token is {invalid} and changes nothing', source: 'seed-004 §4.3 Reset Password', needs: withAccounts(['resetRequest', 'resetVerify', 'resetConfirm', 'login'], { capabilities: ['resetFlow', 'otpSource'], resetStyles: ['three-step'], response: ['resetToken'] }), dependsOn: ['ACC-RST-002'] },

  // Wallet
  { id: 'ACC-WAL-001', flow: 'wallet', level: 'MUST', title: 'a new user has a wallet with a balance of at least 0, in the wallet shape', source: `${S} §9. Get Wallet`, needs: withAccounts(['wallet'], { response: ['wallet'] }) },
  { id: 'ACC-WAL-002', flow: 'wallet', level: 'MUST', title: 'each user sees their own wallet', source: `${S} §9. Get Wallet; OWASP API1:2023`, needs: withAccounts(['wallet'], { response: ['wallet'] }), dependsOn: ['ACC-WAL-001'] },
  { id: 'ACC-WAL-003', flow: 'wallet', level: 'MUST', title: 'the wallet refuses a request without a token ({unauthorized})', source: `${S} §Wallet Endpoints (Auth Required); RFC 6750 §3.1`, needs: { operations: ['wallet'] } },

  // Location
  { id: 'ACC-LOC-001', flow: 'location', level: 'MUST', title: 'a latitude and longitude in range {ok:updateLocation}', source: `${S} §User Profile Endpoints (update_location)`, needs: withAccounts(['updateLocation'], { request: { updateLocation: ['latitude', 'longitude'] } }) },
  { id: 'ACC-LOC-002', flow: 'location', level: 'MUST', title: 'a latitude outside -90..90 is {invalid}', source: `${S} §User Profile Endpoints (update_location); ISO 6709`, needs: withAccounts(['updateLocation'], { request: { updateLocation: ['latitude', 'longitude'] } }) },
  { id: 'ACC-LOC-003', flow: 'location', level: 'MUST', title: 'a longitude outside -180..180 is {invalid}', source: `${S} §User Profile Endpoints (update_location); ISO 6709`, needs: withAccounts(['updateLocation'], { request: { updateLocation: ['latitude', 'longitude'] } }) },
  { id: 'ACC-LOC-004', flow: 'location', level: 'MUST', title: 'a non-numeric coordinate is {invalid}', source: `${S} §User Profile Endpoints (update_location)`, needs: withAccounts(['updateLocation'], { request: { updateLocation: ['latitude', 'longitude'] } }) },
  { id: 'ACC-LOC-005', flow: 'location', level: 'MUST', title: 'updating the location without a token is {unauthorized}', source: `${S} §User Profile Endpoints (Auth Required); RFC 6750 §3.1`, needs: { operations: ['updateLocation'], request: { updateLocation: ['latitude', 'longitude'] } } },

  // OTP hygiene
  { id: 'ACC-OTP-009', flow: 'otp', level: 'MUST', title: 'a code stops working after repeated wrong guesses', source: 'NIST SP 800-63B §5.2.2; ASVS 5.0 6.3.1', rationale: 'The verifier SHALL implement a rate-limiting mechanism that limits failed authentication attempts.', needs: { operations: ['sendOtp', 'verifyOtp'], request: { verifyOtp: ['code'] }, capabilities: ['codeFlow', 'otpSource'] }, dependsOn: ['ACC-OTP-001', 'ACC-OTP-013'] },
  { id: 'ACC-OTP-010', flow: 'otp', level: 'MUST', levelElsewhere: 'SHOULD', title: 'codes are 6 digits', source: `${S} §OTP Verification; NIST SP 800-63B §5.1.3.2`, rationale: 'OTP is 6 digits.', needs: { operations: ['sendOtp', 'verifyOtp'], capabilities: ['codeFlow', 'otpSource', 'realCodes'] }, dependsOn: ['ACC-OTP-001', 'ACC-OTP-013'] },
  { id: 'ACC-OTP-011', flow: 'otp', level: 'MUST', title: 'a verification code does not reset the password', source: 'ASVS 5.0 6.5.1; NIST SP 800-63B §5.1.3.2', needs: withAccounts(['sendOtp', 'verifyOtp', 'resetRequest', 'resetConfirm'], { request: { sendOtp: ['channel'] }, capabilities: ['otpSource', 'resetFlow'], otpStyle: 'verify', resetStyles: ['code', 'three-step'] }), dependsOn: ['ACC-OTP-001'] },
  { id: 'ACC-OTP-012', flow: 'otp', level: 'MUST', title: 'no answer echoes a code', source: 'ASVS 5.0 6.5.x; NIST SP 800-63B §5.1.3.2', rationale: 'An out-of-band secret reaches only the out-of-band channel.', needs: { operations: ['sendOtp', 'verifyOtp'], capabilities: ['codeFlow', 'otpSource'] }, dependsOn: ['ACC-OTP-001', 'ACC-OTP-013'] },

  // Sign-in by a code sent to a phone (profiles whose otpStyle is sign-in)
  { id: 'ACC-OTP-013', flow: 'otp', level: 'MUST', title: 'a sign-in code sent to a phone number {ok:sendOtp}', source: 'seed-004 §2.1 Send OTP to Phone', needs: { operations: ['sendOtp'], request: { sendOtp: ['phone'] }, otpStyle: 'sign-in' } },
  { id: 'ACC-OTP-014', flow: 'otp', level: 'MUST', title: 'the right sign-in code {ok:verifyOtp} with the tokens', source: 'seed-004 §2.2 Verify OTP and Sign In', needs: { operations: ['sendOtp', 'verifyOtp'], request: { sendOtp: ['phone'], verifyOtp: ['phone', 'code'] }, response: ['otpData'], capabilities: ['otpSource'], otpStyle: 'sign-in' }, dependsOn: ['ACC-OTP-013'] },
  { id: 'ACC-OTP-015', flow: 'otp', level: 'MUST', title: 'a wrong sign-in code is {invalid} and issues no tokens', source: 'seed-004 §2.2 Verify OTP and Sign In', needs: { operations: ['sendOtp', 'verifyOtp'], request: { sendOtp: ['phone'], verifyOtp: ['phone', 'code'] }, otpStyle: 'sign-in' }, dependsOn: ['ACC-OTP-013'] },
  { id: 'ACC-OTP-016', flow: 'otp', level: 'MUST', title: 'a sign-in code signs in once', source: 'seed-004 §2.2; ASVS 5.0 6.5.1', needs: { operations: ['sendOtp', 'verifyOtp'], request: { sendOtp: ['phone'], verifyOtp: ['phone', 'code'] }, capabilities: ['otpSource'], otpStyle: 'sign-in' }, dependsOn: ['ACC-OTP-014'] },
  { id: 'ACC-OTP-017', flow: 'otp', level: 'MUST', title: 'a sign-in code sent to one phone does not sign in another', source: 'seed-004 §2.2 Verify OTP and Sign In; OWASP API1:2023', rationale: '"phone": Required, must match the phone number OTP was sent to.', needs: { operations: ['sendOtp', 'verifyOtp'], request: { sendOtp: ['phone'], verifyOtp: ['phone', 'code'] }, capabilities: ['otpSource', 'realCodes'], otpStyle: 'sign-in' }, dependsOn: ['ACC-OTP-013', 'ACC-OTP-015'] },
  { id: 'ACC-OTP-018', flow: 'otp', level: 'MUST', title: 'a sign-in code for a malformed phone number is {invalid}', source: 'seed-004 §2.1 Send OTP to Phone', rationale: '"phone": Required, minimum 10 digits.', needs: { operations: ['sendOtp'], request: { sendOtp: ['phone'] }, otpStyle: 'sign-in' } },

  // Logout
  { id: 'ACC-OUT-001', flow: 'logout', level: 'MUST', title: 'logout with the refresh token {ok:logout}', source: 'seed-001 §2. User Logout; seed-003 §Logout Endpoint', needs: withAccounts(['logout'], { request: { logout: ['refresh'] }, capabilities: ['refreshToken'] }) },
  { id: 'ACC-OUT-002', flow: 'logout', level: 'MUST', title: 'a refresh token that was logged out no longer refreshes ({unauthorized})', source: 'seed-001 §2. User Logout; ASVS 5.0 7.4.1', rationale: 'Logout user and blacklist refresh token.', needs: withAccounts(['logout', 'refresh'], { request: { logout: ['refresh'], refresh: ['refresh'] }, capabilities: ['refreshToken'] }), dependsOn: ['ACC-OUT-001', 'ACC-REF-001'] },
  { id: 'ACC-OUT-003', flow: 'logout', level: 'MUST', title: 'logout without an access token is {unauthorized}', source: 'seed-001 §2. User Logout (Bearer Token required); RFC 6750 §3.1', needs: withAccounts(['logout', 'refresh'], { request: { logout: ['refresh'], refresh: ['refresh'] }, capabilities: ['refreshToken'] }), dependsOn: ['ACC-REF-001'] },

  // Tokens
  { id: 'ACC-TOK-001', flow: 'tokens', level: 'MUST', title: 'a truncated access token is {unauthorized}', source: 'RFC 7515 §5.2; RFC 8725 §3.1', needs: withAccounts(['me']) },
  { id: 'ACC-TOK-002', flow: 'tokens', level: 'SHOULD', title: 'access tokens carry exp and live at most 60 minutes', source: 'RFC 8725 §3.10; ASVS 5.0 9.2.1', advice: 'A short access lifetime bounds the damage of a leaked token.', hints: { 'django-rest-framework': 'simplejwt: SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] = timedelta(minutes=5..60).' }, needs: withAccounts(['me']) },
  { id: 'ACC-TOK-003', flow: 'tokens', level: 'SHOULD', title: 'an unauthenticated answer ({unauthorized}) carries a WWW-Authenticate challenge for {scheme}', source: 'RFC 6750 §3; RFC 9110 §11.6.1', advice: 'The contract does not ask for it, so it is a warning: a 401 should name the scheme that would succeed, so that clients know how to authenticate.', hints: { 'django-rest-framework': "DRF sends it when the first authentication class defines authenticate_header (simplejwt's JWTAuthentication does): keep it first in DEFAULT_AUTHENTICATION_CLASSES and do not rewrite 401s without the header." }, needs: { operations: ['me'] } },

  // Sessions
  { id: 'ACC-SES-001', flow: 'sessions', level: 'SHOULD', title: 'an access token issued before a password change stops working', source: 'ASVS 5.0 7.4.3; OWASP Session Management Cheat Sheet', advice: 'Stateless access tokens stay valid until they expire; check a password-change timestamp (or a token version) when authenticating.', hints: { 'django-rest-framework': 'simplejwt: add a password-change timestamp claim check (or a token version) in a custom JWTAuthentication.' }, needs: withAccounts(['changePassword', 'me'], { request: { changePassword: ['newPassword'] } }), dependsOn: ['ACC-PWD-001'] },
  { id: 'ACC-SES-002', flow: 'sessions', level: 'SHOULD', title: 'a refresh token issued before a password change is refused', source: 'ASVS 5.0 7.4.3', advice: "Revoke the user's outstanding refresh tokens when the password changes.", hints: { 'django-rest-framework': 'simplejwt: enable rest_framework_simplejwt.token_blacklist and blacklist the outstanding tokens of the user (OutstandingToken) when the password changes.' }, needs: withAccounts(['changePassword', 'refresh'], { request: { changePassword: ['newPassword'], refresh: ['refresh'] }, capabilities: ['refreshToken'] }), dependsOn: ['ACC-PWD-001'] },
  { id: 'ACC-SES-003', flow: 'sessions', level: 'SHOULD', title: 'tokens issued before a password reset stop working', source: 'ASVS 5.0 7.4.3', advice: 'Same fix as for a password change: revoke the outstanding refresh tokens and reject access tokens older than the reset.', needs: withAccounts(['resetRequest', 'resetConfirm', 'me', 'refresh'], { request: { refresh: ['refresh'] }, capabilities: ['resetFlow', 'otpSource', 'refreshToken'] }), dependsOn: ['ACC-RST-003'] },

  // Enumeration
  { id: 'ACC-ENUM-001', flow: 'enumeration', level: 'SHOULD', title: 'a reset request for an unknown identifier is answered like one for a known identifier', source: 'ASVS 5.0 6.3.8; OWASP WSTG-IDNT-04', advice: 'Answer 200 with the same body whether or not the account exists, and send nothing.', needs: withAccounts(['resetRequest'], { request: { resetRequest: ['identifier'] } }) },
  { id: 'ACC-ENUM-002', flow: 'enumeration', level: 'SHOULD', title: 'a login with an unknown user and one with a wrong password fail alike', source: 'ASVS 5.0 6.3.8; OWASP WSTG-IDNT-04', advice: 'Answer both with one error.', hints: { 'django-rest-framework': "simplejwt's TokenObtainPairSerializer already answers both alike; keep custom login views to one error for both." }, needs: withAccounts(['login'], { request: { login: ['username', 'password'] } }), dependsOn: ['ACC-LOG-003'] },

  // Data exposure and mass assignment
  { id: 'ACC-EXP-001', flow: 'exposure', level: 'MUST', title: 'no answer carries the password or a password hash', source: 'OWASP API3:2023; ASVS 5.0 6.2.x', needs: withAccounts(['login', 'me']) },
  { id: 'ACC-EXP-002', flow: 'exposure', level: 'MUST', title: 'counters and a wallet balance sent at registration or in a profile update are ignored', source: 'OWASP API3:2023 (mass assignment)', needs: withAccounts(['register', 'wallet', 'updateProfile', 'me'], { privileged: ['tasksPosted', 'walletBalance'], user: ['tasksPosted'], response: ['wallet', 'user'] }) },
  { id: 'ACC-EXP-003', flow: 'exposure', level: 'MUST', title: "a token only ever shows its own user's data", source: 'OWASP API1:2023 (broken object level authorization)', needs: withAccounts(['me'], { response: ['user'] }) },

  // Authorization between users (object and property level)
  { id: 'ACC-BOLA-001', flow: 'authorization', level: 'MUST', title: "another user's id in the query string never shows or changes that user, on any operation that needs a token", source: 'OWASP API1:2023 (broken object level authorization); ASVS 5.0 8.2.2', rationale: 'Data-specific access: a user may only reach the records the authenticated identity owns, whatever the request names.', needs: withAccounts(['me'], { user: ['id'], response: ['user'], capabilities: ['protectedOperation'] }) },
  { id: 'ACC-BOLA-002', flow: 'authorization', level: 'MUST', title: "another user's id in a body field never shows or changes that user, on any operation that needs a token and takes a body", source: 'OWASP API1:2023; OWASP API3:2023 (broken object property level authorization); ASVS 5.0 8.2.2, 8.2.3', rationale: 'The owner of a record is the authenticated identity, never a field the client sends (id, user_id, user, owner).', needs: withAccounts(['me'], { user: ['id'], response: ['user'], capabilities: ['protectedBody'] }) },
  { id: 'ACC-BOLA-003', flow: 'authorization', level: 'MUST', title: 'a verification code sent to another account is refused and verifies neither account ({user:emailVerified})', source: 'OWASP API1:2023; ASVS 5.0 8.2.2, 6.5.1', rationale: 'A code proves control of the address it was sent to, for the account it was issued to only.', needs: withAccounts(['sendOtp', 'verifyOtp', 'me'], { request: { sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }, user: ['emailVerified'], response: ['user'], capabilities: ['otpSource', 'realCodes'], otpStyle: 'verify' }), dependsOn: ['ACC-OTP-004'] },
  { id: 'ACC-BOLA-004', flow: 'authorization', level: 'MUST', title: "another user's id in a path that names the user never shows or changes that user", source: 'OWASP API1:2023 (broken object level authorization); ASVS 5.0 8.2.2', rationale: 'A path that names a record (users/{id}) reaches it only for its owner: the id is what the client chose, not whom it is.', needs: withAccounts(['me'], { user: ['id'], response: ['user'], capabilities: ['userPathIds'] }) },

  // Uploads
  { id: 'ACC-UPL-001', flow: 'uploads', level: 'MUST', title: 'a file that is not an image is {invalid} even with an image name and content type', source: 'ASVS 5.0 5.2.2; OWASP File Upload Cheat Sheet', needs: withAccounts(['updateProfile'], { request: { updateProfile: ['image'] } }) },
  { id: 'ACC-UPL-002', flow: 'uploads', level: 'MUST', title: 'an SVG carrying script is refused or never served as SVG', source: 'ASVS 5.0 5.2.x; OWASP File Upload Cheat Sheet', needs: withAccounts(['updateProfile'], { request: { updateProfile: ['image'] }, user: ['image'], response: ['user'] }) },
  { id: 'ACC-UPL-003', flow: 'uploads', level: 'SHOULD', title: 'an oversized file is refused with a 4xx', source: 'ASVS 5.0 5.2.1', advice: 'Cap the upload size in the application and in the proxy in front of it.', hints: { 'django-rest-framework': 'Django accepts any size by default; set DATA_UPLOAD_MAX_MEMORY_SIZE and validate image size in the serializer (or cap client_max_body_size in the proxy).' }, needs: withAccounts(['updateProfile'], { request: { updateProfile: ['image'] } }) },
  { id: 'ACC-UPL-004', flow: 'uploads', level: 'MUST', title: 'a path-traversal file name is neutralised', source: 'ASVS 5.0 5.3.2; OWASP File Upload Cheat Sheet', needs: withAccounts(['updateProfile'], { request: { updateProfile: ['image'] }, user: ['image'], response: ['user'] }) },

  // Input robustness
  { id: 'ACC-ROB-001', flow: 'robustness', level: 'MUST', title: 'very long strings never produce a 5xx', source: `${S} §Error Handling; ASVS 5.0 1.x (input validation)`, needs: { operations: ['register'], requestAny: { register: ['fullName', 'email', 'password'] } } },
  { id: 'ACC-ROB-002', flow: 'robustness', level: 'MUST', title: 'unicode and NUL characters never produce a 5xx', source: `${S} §Error Handling; ASVS 5.0 1.x`, needs: { operations: ['register'], requestAny: { register: ['fullName', 'phone'] } } },
  { id: 'ACC-ROB-003', flow: 'robustness', level: 'MUST', title: 'nulls and wrong JSON types never produce a 5xx', source: `${S} §Error Handling; ASVS 5.0 1.x`, needs: { operations: ['register'], requestAny: { register: ['password', 'email', 'role', 'phone', 'fullName'] } } },
  { id: 'ACC-ROB-004', flow: 'robustness', level: 'MUST', title: 'unexpected content types never produce a 5xx on any operation', source: `${S} §Standard Response Format; RFC 9110 §15.5.16`, needs: withAccounts([]) },

  // Races on single-use actions
  { id: 'ACC-RACE-001', flow: 'races', level: 'MUST', title: 'concurrent registrations with one email create exactly one account', source: `${S} §1. Registration (unique email); ASVS 5.0 6.x (account uniqueness)`, needs: { operations: ['register'], request: { register: ['email'] } } },
  { id: 'ACC-RACE-002', flow: 'races', level: 'MUST', title: 'concurrent verifications with one code succeed exactly once', source: 'ASVS 5.0 6.5.1 (single use)', needs: withAccounts(['sendOtp', 'verifyOtp'], { request: { sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }, capabilities: ['otpSource'], otpStyle: 'verify' }), dependsOn: ['ACC-OTP-004'] },
  { id: 'ACC-RACE-003', flow: 'races', level: 'MUST', title: 'concurrent resets with one secret succeed exactly once', source: 'ASVS 5.0 6.5.1 (single use)', needs: withAccounts(['resetRequest', 'resetConfirm'], { capabilities: ['resetFlow', 'otpSource'] }), dependsOn: ['ACC-RST-003'] },
  { id: 'ACC-RACE-004', flow: 'races', level: 'SHOULD', title: 'concurrent refreshes of one rotating refresh token succeed exactly once', source: 'RFC 9700 §4.14.2', advice: 'Make the rotation atomic: lock the refresh token while it is exchanged.', hints: { 'django-rest-framework': 'simplejwt: with ROTATE_REFRESH_TOKENS and BLACKLIST_AFTER_ROTATION the blacklist insert races; lock the OutstandingToken row (select_for_update) in a custom TokenRefreshSerializer.' }, needs: withAccounts(['refresh'], { request: { refresh: ['refresh'] }, response: ['refreshRefresh'], capabilities: ['refreshToken'] }), dependsOn: ['ACC-REF-003'] },

  // Brute force and rate limits (run alone, after the other flows)
  { id: 'ACC-THR-001', flow: 'throttling', level: 'MUST', title: 'repeated failed logins for one account are throttled before 100 attempts', source: 'NIST SP 800-63B §5.2.2; ASVS 5.0 6.3.1', rationale: 'The verifier SHALL implement a rate-limiting mechanism that effectively limits failed authentication attempts ... to no more than 100.', needs: withAccounts(['login'], { request: { login: ['username', 'password'] } }), dependsOn: ['ACC-LOG-003'] },
  { id: 'ACC-THR-002', flow: 'throttling', level: 'SHOULD', title: 'a 429 answer carries Retry-After', source: 'RFC 6585 §4', advice: 'Tell clients when to try again.', hints: { 'django-rest-framework': "DRF's throttles set Retry-After on 429 by themselves; custom lockouts (django-axes) need it added." }, needs: withAccounts(['login'], { request: { login: ['username', 'password'] } }), dependsOn: ['ACC-THR-001'] },
  { id: 'ACC-THR-003', flow: 'throttling', level: 'SHOULD', title: 'sending codes is rate limited', source: `${S} §OTP Verification; ASVS 5.0 6.3.1`, rationale: 'Rate limited on backend.', advice: 'Limit the codes one user can have sent in a window.', hints: { 'django-rest-framework': "DRF: a ScopedRateThrottle with throttle_scope = 'otp' on the send-otp view." }, needs: withAccounts(['sendOtp'], { request: { sendOtp: ['channel'] }, otpStyle: 'verify' }) },
  { id: 'ACC-THR-004', flow: 'throttling', level: 'SHOULD', title: 'reset requests are rate limited', source: 'ASVS 5.0 6.3.1', advice: 'Limit the reset requests per identifier as well as per client address.', hints: { 'django-rest-framework': 'DRF: a ScopedRateThrottle on the password-reset view, keyed by identifier as well as by IP.' }, needs: withAccounts(['resetRequest'], { request: { resetRequest: ['identifier'] } }) },

  // Expiry (needs the clock hook; runs alone)
  { id: 'ACC-CLK-001', flow: 'expiry', level: 'MUST', title: 'an expired access token is {unauthorized}', source: 'RFC 7519 §4.1.4', rationale: 'The processing of the exp claim requires that the current date/time MUST be before the expiration date/time.', needs: withAccounts(['me'], { capabilities: ['clock'] }) },
  { id: 'ACC-CLK-002', flow: 'expiry', level: 'MUST', title: 'a verification code expires', source: `${S} §4. Verify OTP; NIST SP 800-63B §5.1.3.2`, rationale: "The error answer reads 'Invalid or expired OTP'.", needs: withAccounts(['sendOtp', 'verifyOtp', 'login'], { request: { sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }, capabilities: ['clock', 'otpSource'], otpStyle: 'verify' }), dependsOn: ['ACC-OTP-004'] },
  { id: 'ACC-CLK-003', flow: 'expiry', level: 'SHOULD', title: 'a throttled login works again once the window has passed', source: 'NIST SP 800-63B §5.2.2', advice: 'A permanent lockout lets anyone lock any account out; throttle for a window instead.', hints: { 'django-rest-framework': 'DRF throttles and django-axes AXES_COOLOFF_TIME throttle for a window.' }, needs: withAccounts(['login'], { request: { login: ['username', 'password'] }, capabilities: ['clock'] }), dependsOn: ['ACC-THR-001'] },
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

/** The requirement a setup step is, for the profile's way of logging in. */
export function setupRequirement(step: SetupStep, loginWith: 'email' | 'phone' | 'username'): RequirementId {
  if (step === 'register') return 'ACC-REG-001';
  return ({ phone: 'ACC-LOG-001', email: 'ACC-LOG-002', username: 'ACC-LOG-006' } as const)[loginWith];
}

/** A prerequisite that is not a requirement id is a type error here. */
type DependsOnIds = (typeof entries)[number] extends infer E ? (E extends { readonly dependsOn: readonly (infer D)[] } ? D : never) : never;
export const DEPENDS_ON_ARE_IDS: readonly RequirementId[] = [] as readonly DependsOnIds[];
