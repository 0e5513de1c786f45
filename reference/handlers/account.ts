/** Seed §1 Registration, §2 Login and §Token Refresh. */
import type { Ctx } from '../context.js';
import { type Success, ok } from '../envelope.js';
import { ApiError, BEARER_CHALLENGE, crash, unauthorized } from '../errors.js';
import { isJwt } from '../jwt.js';
import { hashPassword, matchesAny } from '../passwords.js';
import { serializeUser } from '../serialize.js';
import type { User } from '../store.js';
import { issuePair, issueToken, verifyToken, type TokenClaims, type TokenType } from '../tokens.js';
import { phoneProblems, type FieldReader } from '../validation.js';
import { cookieTokens, refreshCookie, refreshCookieOf } from './refresh-cookie.js';
import { applyPrivileged, checkEmailFree, crashOnHostileInput, FLAGS, hashCost, lockedOutLogin, openWallet, raceWindow, readEmail, readPasswordPair, readRole, refuseUnknownAccount, throttledLogin } from './common.js';

const REGISTER_PASSWORD = { password: 'password', confirm: 'password_confirm', lengthFault: 'password-length-unchecked', confirmFault: 'password-confirm-unchecked' } as const;
const MAX_NAME_LENGTH = 255;
const REGISTER_PRIVILEGED = [...FLAGS, 'rating_avg', 'total_tasks_posted', 'total_tasks_completed'] as const;

function readPhone(r: FieldReader, ctx: Ctx): string | undefined {
  // Fault regex-dollar-newline: the phone is taken as sent and matched as Python's $ would, which
  // matches before a final newline; the newline is stored.
  const newline = ctx.fault('regex-dollar-newline');
  const phone = r.string('phone_number', { required: true, max: 32, trim: !newline });
  if (phone === undefined) return undefined;
  const checks = {
    length: !ctx.fault('phone-length-unchecked'),
    prefix: !ctx.fault('phone-prefix-unchecked'),
    digitsOnly: !ctx.fault('phone-letters-accepted'),
    unicodeDigits: ctx.fault('unicode-digits-accepted'),
  };
  const problems = phoneProblems(newline ? phone.replace(/\n$/, '') : phone, checks, ctx.t);
  for (const problem of problems) r.fail('phone_number', problem);
  return problems.length ? undefined : phone;
}

function readRegisterRole(r: FieldReader, ctx: Ctx): string | undefined {
  const role = readRole(r, ctx, true, 'role-unchecked');
  if (role === 'BOTH' && ctx.fault('register-rejects-both-role')) return r.fail('role', ctx.t.invalidChoice(role));
  return role;
}

function readRegistration(ctx: Ctx) {
  const r = ctx.reader();
  const emailOptional = ctx.fault('email-optional');
  const values = {
    phone: readPhone(r, ctx),
    email: readEmail(r, ctx, !emailOptional, emailOptional) ?? (emailOptional ? '' : undefined),
    password: readPasswordPair(r, ctx, REGISTER_PASSWORD),
    role: readRegisterRole(r, ctx),
    fullName: r.nested('profile', true)?.string('full_name', { required: true, max: MAX_NAME_LENGTH }),
  };
  return { r, values };
}

function newUser(ctx: Ctx, values: { phone: string; email: string; role: string; fullName: string }, hash: string): User {
  return {
    id: ctx.store.newId(),
    phone_number: values.phone,
    email: values.email,
    password_hashes: [hash],
    is_phone_verified: false,
    is_email_verified: ctx.fault('register-starts-verified'),
    role: ctx.fault('register-drops-role') ? 'POSTER' : values.role,
    rating_avg: 0,
    total_tasks_posted: 0,
    total_tasks_completed: 0,
    created_at: ctx.now(),
    profile: { full_name: ctx.fault('register-ignores-full-name') ? '' : values.fullName, profile_image: null, bio: '', date_of_birth: null, gender: '' },
    location: null,
    wallet_id: openWallet(ctx),
    tokens_valid_after: { access: 0, refresh: 0 },
  };
}

function checkUnique(r: FieldReader, ctx: Ctx, values: { phone?: string; email?: string }): void {
  if (values.phone !== undefined && !ctx.fault('duplicate-phone-accepted') && ctx.store.findByPhone(values.phone)) r.fail('phone_number', ctx.t.phoneTaken);
  checkEmailFree(r, ctx, values.email, 'duplicate-email-accepted');
}

export async function register(ctx: Ctx): Promise<Success> {
  crashOnHostileInput(ctx);
  const { r, values } = readRegistration(ctx);
  // Uniqueness is checked after the only await, so that the check and the insert are atomic
  // (fault register-race: before it, so concurrent registrations all pass the check).
  const racy = ctx.fault('register-race');
  if (racy) checkUnique(r, ctx, values);
  await raceWindow(ctx, 'register-race');
  const hash = r.bag.empty && values.password !== undefined ? await hashPassword(values.password, hashCost(ctx)) : undefined;
  if (!racy) checkUnique(r, ctx, values);
  const valid = r.bag.required(ctx.t.validationFailed, { ...values, hash });
  const user = newUser(ctx, valid, valid.hash);
  if (ctx.fault('register-mass-assignment')) applyPrivileged(ctx, user, REGISTER_PRIVILEGED);
  if (ctx.fault('wallet-balance-assignable')) applyPrivileged(ctx, user, ['balance']);
  ctx.store.saveUser(user);
  const view = serializeUser(ctx, user);
  const status = ctx.fault('register-returns-200') ? 200 : 201;
  if (ctx.fault('register-omits-tokens')) return ok(ctx.t.registered, { user: view }, status);
  const { tokens, headers } = cookieTokens(ctx, issuePair(ctx, user));
  return ok(ctx.t.registered, { user: view, tokens }, status, headers);
}

/**
 * Seed §2: a wrong password and an unknown user get the same 401 and the same wording (fault
 * login-enumeration: each names the field at fault).
 */
function loginRefused(ctx: Ctx, status: number, field: 'username' | 'password'): ApiError {
  const errors = { [ctx.fault('login-enumeration') ? field : 'non_field_errors']: [ctx.t.noAccount] };
  return new ApiError(status, ctx.t.invalidCredentials, errors, status === 401 ? BEARER_CHALLENGE : {});
}

async function checkCredentials(ctx: Ctx, username: string, account: User | undefined, password: string): Promise<User> {
  const broken = ctx.fault(username.includes('@') ? 'login-by-email-broken' : 'login-by-phone-broken');
  const user = broken ? undefined : account;
  if (!user) {
    await refuseUnknownAccount(ctx, password);
    throw loginRefused(ctx, ctx.fault('unknown-user-404') && !broken ? 404 : 401, 'username');
  }
  if (ctx.fault('accepts-wrong-password') || (await matchesAny(password, user.password_hashes))) return user;
  throw loginRefused(ctx, ctx.fault('wrong-password-400') ? 400 : 401, 'password');
}

/** Seed §2: `username` "Can be phone or email". */
export async function login(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const { username, password } = r.bag.required(ctx.t.validationFailed, {
    username: r.string('username', { required: true, max: 254 }),
    password: r.string('password', { required: true, trim: false, max: 4096 }),
  });
  // Failed logins are counted per account, whichever identifier names it.
  const found = ctx.store.findByIdentifier(username);
  // Fault login-email-case-sensitive: the email must match as stored, domain case included.
  const account = ctx.fault('login-email-case-sensitive') && found && username.includes('@') && found.email !== username ? undefined : found;
  const verify = () => checkCredentials(ctx, username, account, password);
  const user = ctx.quirk('lockout-throttling')
    ? await lockedOutLogin(ctx, account, username, verify, () => loginRefused(ctx, ctx.fault('wrong-password-400') ? 400 : 401, 'password'))
    : await throttledLogin(ctx, account, username, verify);
  const accessKey = ctx.fault('login-token-unusable') ? ctx.state.keys.bad : undefined;
  const { tokens, headers } = cookieTokens(ctx, issuePair(ctx, user, accessKey));
  return ok(ctx.t.loggedIn, { user: serializeUser(ctx, user), tokens }, 200, headers);
}

function refreshData(ctx: Ctx, user: User, claims: TokenClaims): Record<string, string> {
  const { good, bad } = ctx.state.keys;
  const data: Record<string, string> = { access: issueToken(ctx, 'access', user, ctx.fault('refresh-access-unusable') ? bad : good) };
  const rotate = ctx.quirk('rotate-refresh') || ctx.quirk('refresh-rotation-race-safe') || ctx.fault('rotate-refresh-race');
  // simplejwt ROTATE_REFRESH_TOKENS + BLACKLIST_AFTER_ROTATION: the old refresh token is spent.
  if (rotate) ctx.store.revokedJtis.add(claims.jti);
  if (rotate || ctx.fault('rotated-refresh-unusable')) data.refresh = issueToken(ctx, 'refresh', user, ctx.fault('rotated-refresh-unusable') ? bad : good);
  return data;
}

/**
 * simplejwt's TokenRefreshView: {refresh} → {access}; anything but a valid refresh token is 401.
 * Quirk refresh-cookie: the token comes from the refresh_token cookie, and a rotated one goes back in it.
 */
export async function refresh(ctx: Ctx): Promise<Success> {
  const cookie = ctx.quirk('refresh-cookie');
  const r = ctx.reader();
  const { token } = cookie ? { token: refreshCookieOf(ctx) } : r.bag.required(ctx.t.validationFailed, { token: r.string('refresh', { required: true, allowBlank: true, trim: false }) });
  if (ctx.fault('refresh-garbage-500') && !isJwt(token)) crash('refresh-garbage-500');
  const invalid = (): ApiError => unauthorized(ctx.t, ctx.t.refreshInvalid);
  const types: TokenType[] = ctx.fault('refresh-accepts-access-token') ? ['refresh', 'access'] : ['refresh'];
  const { user, claims } = verifyToken(ctx, token, { types, skipSignature: ctx.fault('refresh-ignores-signature'), ignoreExpiry: ctx.fault('ignores-refresh-expiry'), invalid });
  if (ctx.store.revokedJtis.has(claims.jti)) throw invalid();
  if (ctx.fault('refresh-broken')) crash('refresh-broken');
  // With rotation the blacklist check above and the blacklisting in refreshData are atomic (no await between them).
  await raceWindow(ctx, 'rotate-refresh-race');
  const { refresh: rotated, ...data } = refreshData(ctx, user, claims);
  if (rotated === undefined) return ok(ctx.t.refreshed, data);
  return cookie ? ok(ctx.t.refreshed, data, 200, refreshCookie(ctx, rotated)) : ok(ctx.t.refreshed, { ...data, refresh: rotated });
}
