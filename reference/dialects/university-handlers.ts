/**
 * Seed 001 §Endpoints: login by username, logout (blacklists the refresh token), the current
 * user's profile and refresh, on the reference server's store, password hashing, tokens and login
 * throttling. The seed has no registration: users are made by an administrator (the
 * /__conformance__/users hook stands in for one).
 */
import type { Ctx } from '../context.js';
import { ok, type Success } from '../envelope.js';
import { BEARER_CHALLENGE, crash } from '../errors.js';
import { refuseUnknownAccount, throttledLogin } from '../handlers/common.js';
import { isJwt } from '../jwt.js';
import { matchesAny } from '../passwords.js';
import type { User } from '../store.js';
import { issuePair, issueToken, verifyToken, type TokenClaims, type TokenType } from '../tokens.js';
import { MAX_PASSWORD_LENGTH } from '../validation.js';
import { SeedError, seedTexts } from './university-envelope.js';

/** Django's username field: at most 150 characters. */
const MAX_USERNAME_LENGTH = 150;

/** Seed 001 §1: "university_id": "STU2024001"; the store's id makes it unique. */
function universityId(user: User): string {
  return `STU${user.id}`;
}

/** Seed 001 §User Types: the fields every user carries; a provisioned user is a student with no academic record yet. */
function coreView(user: User) {
  return {
    id: Number(user.id),
    username: user.username ?? '',
    email: user.email,
    first_name: user.first_name ?? '',
    last_name: user.last_name ?? '',
    university_id: universityId(user),
    user_type: 'student',
    phone_number: user.phone_number || null,
    date_of_birth: user.profile.date_of_birth,
    major: null,
    academic_level: null,
    enrollment_year: new Date(user.created_at).getUTCFullYear(),
    department: null,
    position: null,
    is_student: true,
    is_staff_member: false,
    staff_profile: null,
  };
}

/** Seed 001 §1 (login): student_profile {student_id, gpa, credits_completed, graduation_date}. */
function loginUserView(user: User) {
  return { ...coreView(user), student_profile: { student_id: universityId(user), gpa: null, credits_completed: 0, graduation_date: null } };
}

/**
 * Seed 001 §3 (profile): profile_picture, and student_profile {student_id_number, gpa,
 * total_credits, graduation_date, emergency_contact_name, emergency_contact_phone}.
 */
function profileUserView(ctx: Ctx, user: User) {
  const image = user.profile.profile_image;
  const student = { student_id_number: universityId(user), gpa: null, total_credits: 0, graduation_date: null, emergency_contact_name: null, emergency_contact_phone: null };
  return { ...coreView(user), profile_picture: image === null ? null : ctx.absoluteUrl(image), student_profile: student };
}

/**
 * Seed 001 §1: a wrong password and an unknown user are both 401 "Invalid credentials" with
 * non_field_errors (fault login-enumeration: each names the field at fault).
 */
function loginRefused(ctx: Ctx, status: number, field: 'username' | 'password'): SeedError {
  const texts = seedTexts(ctx);
  const errors = { [ctx.fault('login-enumeration') ? field : 'non_field_errors']: [texts.invalidUsernameOrPassword] };
  return new SeedError(status, texts.invalidCredentials, errors, status === 401 ? BEARER_CHALLENGE : {});
}

async function checkCredentials(ctx: Ctx, account: User | undefined, password: string): Promise<User> {
  const broken = ctx.fault('login-by-username-broken');
  const user = broken ? undefined : account;
  if (!user) {
    await refuseUnknownAccount(ctx, password);
    if (account === undefined && ctx.fault('unknown-user-404')) throw new SeedError(404, seedTexts(ctx).userNotFound, {});
    throw loginRefused(ctx, 401, 'username');
  }
  if (ctx.fault('accepts-wrong-password') || (await matchesAny(password, user.password_hashes))) return user;
  throw loginRefused(ctx, ctx.fault('wrong-password-400') ? 400 : 401, 'password');
}

/** Seed 001 §1: {username, password} → {success, message, access_token, refresh_token, user}. */
export async function login(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const { username, password } = r.bag.required(ctx.t.validationFailed, {
    username: r.string('username', { required: true, max: MAX_USERNAME_LENGTH }),
    password: r.string('password', { required: true, trim: false, max: MAX_PASSWORD_LENGTH }),
  });
  // Quirk login-by-email-too: the username field also takes the email, as many Django login forms do.
  const account = ctx.store.findByUsername(username) ?? (ctx.quirk('login-by-email-too') && username.includes('@') ? ctx.store.findByEmail(username) : undefined);
  const user = await throttledLogin(ctx, account, username, () => checkCredentials(ctx, account, password));
  const { access, refresh } = issuePair(ctx, user, ctx.fault('login-token-unusable') ? ctx.state.keys.bad : undefined);
  return ok(seedTexts(ctx).loggedIn, { access_token: access, refresh_token: refresh, user: loginUserView(user) });
}

/** A refresh token, not yet blacklisted; `invalid` answers anything else (`blacklisted` one that was logged out). */
function liveRefresh(ctx: Ctx, token: string, policy: { types: TokenType[]; skipSignature?: boolean; ignoreExpiry?: boolean; invalid: () => SeedError; blacklisted?: () => SeedError }): { user: User; claims: TokenClaims } {
  const verified = verifyToken(ctx, token, policy);
  if (ctx.store.revokedJtis.has(verified.claims.jti)) throw (policy.blacklisted ?? policy.invalid)();
  return verified;
}

/**
 * Seed 001 §2: {refresh_token} → {success, message}, and the refresh token is blacklisted
 * (simplejwt's RefreshToken.blacklist()). Missing, invalid, already blacklisted or another
 * user's: 400 "Logout failed".
 */
export async function logout(ctx: Ctx): Promise<Success> {
  const texts = seedTexts(ctx);
  const r = ctx.reader();
  const { token } = r.bag.required(texts.logoutFailed, { token: r.string('refresh_token', { required: true, trim: false }) });
  const refused = (detail: string): SeedError => new SeedError(400, texts.logoutFailed, { refresh_token: [detail] });
  const { user, claims } = liveRefresh(ctx, token, { types: ['refresh'], invalid: () => refused(ctx.t.refreshInvalid), blacklisted: () => refused(texts.tokenBlacklisted) });
  // Without the fault logout-without-token there is always a caller: a refresh token of someone else's is not theirs to end.
  if (ctx.user && ctx.user.id !== user.id) throw refused(ctx.t.refreshInvalid);
  if (ctx.fault('logout-broken')) crash('logout-broken');
  if (!ctx.fault('logout-keeps-refresh')) ctx.store.revokedJtis.add(claims.jti);
  return ok(texts.loggedOut, {});
}

/** Seed 001 §3: {success, user}, the token's user in the profile form. */
export async function profile(ctx: Ctx): Promise<Success> {
  const user = (ctx.fault('me-returns-latest-user') && ctx.store.latestUser()) || ctx.user;
  if (!user) throw new Error('a protected handler ran without a user');
  const view = profileUserView(ctx, user);
  // Fault me-wrong-shape: the integer and flags of the seed's user arrive as strings.
  const broken = ctx.fault('me-wrong-shape') ? { enrollment_year: String(view.enrollment_year), is_student: String(view.is_student), is_staff_member: String(view.is_staff_member) } : {};
  const leaked = ctx.fault('leaks-password-hash') ? { password: user.password_hashes[0] } : {};
  return ok('', { user: { ...view, ...broken, ...leaked } });
}

/**
 * Seed 001 §4: {refresh_token} → {success, access_token}; missing is 400 "Refresh token
 * required", anything but a live refresh token 401 "Invalid refresh token". No rotation.
 */
export async function refresh(ctx: Ctx): Promise<Success> {
  const texts = seedTexts(ctx);
  const r = ctx.reader();
  const { token } = r.bag.required(texts.refreshRequired, { token: r.string('refresh_token', { required: true, allowBlank: true, trim: false }) });
  if (ctx.fault('refresh-garbage-500') && !isJwt(token)) crash('refresh-garbage-500');
  const invalid = (): SeedError => new SeedError(401, texts.refreshInvalid, {}, BEARER_CHALLENGE);
  const types: TokenType[] = ctx.fault('refresh-accepts-access-token') ? ['refresh', 'access'] : ['refresh'];
  const { user } = liveRefresh(ctx, token, { types, skipSignature: ctx.fault('refresh-ignores-signature'), ignoreExpiry: ctx.fault('ignores-refresh-expiry'), invalid });
  if (ctx.fault('refresh-broken')) crash('refresh-broken');
  const key = ctx.fault('refresh-access-unusable') ? ctx.state.keys.bad : ctx.state.keys.good;
  return ok('', { access_token: issueToken(ctx, 'access', user, key) });
}
