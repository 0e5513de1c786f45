/**
 * Seed 002 §Authentication API Specification: signup, login, refresh and the current user, on the
 * reference server's store, password hashing, tokens and login throttling. The seed fixes the
 * request fields and answer shapes; the paths and the status of each failure are this dialect's.
 */
import type { Ctx } from '../context.js';
import { ok, type Success } from '../envelope.js';
import { BEARER_CHALLENGE, crash, unauthorized } from '../errors.js';
import { checkEmailFree, hashAndClaim, plainUser, readEmail, refuseUnknownAccount, requireUser, throttledLogin } from '../handlers/common.js';
import { isJwt } from '../jwt.js';
import { matchesAny } from '../passwords.js';
import type { User } from '../store.js';
import { issuePair, issueToken, verifyToken, type TokenType } from '../tokens.js';
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type FieldReader } from '../validation.js';
import { CodedError } from './message-data-envelope.js';

const MAX_NAME_LENGTH = 255;
/** Seed 002 §1: "device_type": "Android/iOS/Web". */
const DEVICE_TYPES = ['Android', 'iOS', 'Web'];
/** The seed's example phone is "9876543210" and it fixes no format: digits, an optional +, E.164's at most 15. */
const PHONE = /^\+?\d{7,15}$/;
const PHONE_INVALID = 'Enter a valid phone number: 7 to 15 digits, optionally after a +.';

/** Seed 002 §2: the user of an auth answer. Ids are integers, as in the seed's examples. */
function userView(ctx: Ctx, user: User) {
  const image = user.profile.profile_image;
  return { id: Number(user.id), name: user.profile.full_name, email: user.email, profile_image: image === null ? null : ctx.absoluteUrl(image) };
}

function tokensFor(ctx: Ctx, user: User, accessKey?: Buffer): { access_token: string; refresh_token: string } {
  const { access, refresh } = issuePair(ctx, user, accessKey);
  return { access_token: access, refresh_token: refresh };
}

/**
 * Seed 002 §1 has the app send device_type and notification_device_id at signup and login. A
 * conformance client has no device, so both are optional here, and checked when given.
 */
function readDevice(r: FieldReader): void {
  r.choice('device_type', DEVICE_TYPES);
  r.string('notification_device_id', { max: MAX_NAME_LENGTH });
}

function readPassword(r: FieldReader, ctx: Ctx): string | undefined {
  const password = r.string('password', { required: true, trim: false, max: MAX_PASSWORD_LENGTH });
  if (password === undefined || password.length >= MIN_PASSWORD_LENGTH || ctx.fault('password-length-unchecked')) return password;
  return r.fail('password', ctx.t.passwordTooShort);
}

function readPhone(r: FieldReader): string | undefined {
  const phone = r.string('phone', { allowBlank: true, max: 32 });
  return phone === undefined || phone === '' || PHONE.test(phone) ? phone : r.fail('phone', PHONE_INVALID);
}

function readSignup(ctx: Ctx) {
  const r = ctx.reader();
  const emailOptional = ctx.fault('email-optional');
  const values = {
    name: r.string('name', { required: true, max: MAX_NAME_LENGTH }),
    email: readEmail(r, ctx, !emailOptional, emailOptional) ?? (emailOptional ? '' : undefined),
    password: readPassword(r, ctx),
    phone: readPhone(r) ?? '',
  };
  readDevice(r);
  return r.bag.required(ctx.t.validationFailed, values);
}

/** Seed 002 names no code for a taken email; EMAIL_TAKEN is this dialect's. */
function claimEmail(ctx: Ctx, email: string): void {
  if (!checkEmailFree(ctx.reader(), ctx, email, 'duplicate-email-accepted')) throw new CodedError(400, ctx.t.emailTaken, 'EMAIL_TAKEN');
}

function newUser(ctx: Ctx, values: { name: string; email: string; phone: string }, hash: string): User {
  const fullName = ctx.fault('register-ignores-full-name') ? '' : values.name;
  return plainUser(ctx, { phone: values.phone, email: values.email, fullName, hashes: [hash] });
}

export async function signup(ctx: Ctx): Promise<Success> {
  const values = readSignup(ctx);
  const hash = await hashAndClaim(ctx, values.password, () => claimEmail(ctx, values.email));
  const user = newUser(ctx, values, hash);
  ctx.store.saveUser(user);
  const data = ctx.fault('register-omits-tokens') ? { user: userView(ctx, user) } : { ...tokensFor(ctx, user), user: userView(ctx, user) };
  return ok(ctx.t.registered, data, ctx.fault('register-returns-200') ? 200 : 201);
}

/** Seed 002's example: "Email or password is incorrect", AUTH_001, alike for an unknown email and a wrong password. */
function badLogin(ctx: Ctx, status = 401): CodedError {
  return new CodedError(status, ctx.t.invalidCredentials, 'AUTH_001', status === 401 ? BEARER_CHALLENGE : {});
}

async function authenticateLogin(ctx: Ctx, account: User | undefined, password: string): Promise<User> {
  const user = ctx.fault('login-by-email-broken') ? undefined : account;
  if (!user) {
    await refuseUnknownAccount(ctx, password);
    throw account === undefined && ctx.fault('unknown-user-404') ? new CodedError(404, ctx.t.noAccount, 'NOT_FOUND') : badLogin(ctx);
  }
  if (ctx.fault('accepts-wrong-password') || (await matchesAny(password, user.password_hashes))) return user;
  throw badLogin(ctx, ctx.fault('wrong-password-400') ? 400 : 401);
}

export async function login(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const fields = {
    email: r.string('email', { required: true, max: MAX_EMAIL_LENGTH }),
    password: r.string('password', { required: true, trim: false, max: MAX_PASSWORD_LENGTH }),
  };
  readDevice(r);
  const { email, password } = r.bag.required(ctx.t.validationFailed, fields);
  const account = ctx.store.findByEmail(email);
  const user = await throttledLogin(ctx, account, email, () => authenticateLogin(ctx, account, password));
  const accessKey = ctx.fault('login-token-unusable') ? ctx.state.keys.bad : undefined;
  return ok(ctx.t.loggedIn, { ...tokensFor(ctx, user, accessKey), user: userView(ctx, user) });
}

/** {refresh_token} → {access_token}; anything but a valid refresh token is 401 AUTH_401. The dialect does not rotate. */
export async function refresh(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const { token } = r.bag.required(ctx.t.validationFailed, { token: r.string('refresh_token', { required: true, allowBlank: true, trim: false }) });
  if (ctx.fault('refresh-garbage-500') && !isJwt(token)) crash('refresh-garbage-500');
  const types: TokenType[] = ctx.fault('refresh-accepts-access-token') ? ['refresh', 'access'] : ['refresh'];
  const { user } = verifyToken(ctx, token, { types, skipSignature: ctx.fault('refresh-ignores-signature'), ignoreExpiry: ctx.fault('ignores-refresh-expiry'), invalid: () => unauthorized(ctx.t, ctx.t.refreshInvalid) });
  if (ctx.fault('refresh-broken')) crash('refresh-broken');
  const key = ctx.fault('refresh-access-unusable') ? ctx.state.keys.bad : ctx.state.keys.good;
  return ok(ctx.t.refreshed, { access_token: issueToken(ctx, 'access', user, key) });
}

export async function me(ctx: Ctx): Promise<Success> {
  const user = (ctx.fault('me-returns-latest-user') && ctx.store.latestUser()) || requireUser(ctx);
  const view = userView(ctx, user);
  return ok(ctx.t.profileRetrieved, ctx.fault('me-drops-full-name') ? { ...view, name: '' } : view);
}
