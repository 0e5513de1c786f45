/**
 * Seed 004 §1 Email/Password Sign In and §3 User Registration, on the reference server's store,
 * password hashing, tokens and login throttling; and what the code-based endpoints share with
 * them (the user as the seed shows it, its tokens, the seed's texts). The seed fixes the paths,
 * fields, answer shapes and the 400/422 split; the rest is this dialect's.
 */
import type { Ctx } from '../context.js';
import { ok, type Success } from '../envelope.js';
import { crashOnHostileInput, hashAndClaim, plainUser, readEmail, refuseUnknownAccount, throttledLogin } from '../handlers/common.js';
import { matchesAny } from '../passwords.js';
import type { User } from '../store.js';
import { issuePair } from '../tokens.js';
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, type FieldReader } from '../validation.js';
import { FlutterError } from './flutter-auth-envelope.js';

/** Seed 004 §Request Validation and §Security Considerations: "Minimum 6 characters". */
export const FLUTTER_MIN_PASSWORD_LENGTH = 6;
const MAX_NAME_LENGTH = 255;
const MAX_USERNAME_LENGTH = 30;

/** The seed's own texts, where it gives one; the rest are this dialect's. */
export const TEXT = {
  emailTaken: 'Email already exists',
  passwordMismatch: 'Passwords do not match',
  passwordTooShort: `Password must be at least ${FLUTTER_MIN_PASSWORD_LENGTH} characters`,
  badLogin: 'Invalid email or password',
  noSuchEmail: 'Email not found',
  wrongPassword: 'Wrong password',
} as const;

/** Seed 004 §1: the user of an answer; ids are integers, a missing email or phone is null. */
export function userView(user: User) {
  return {
    id: Number(user.id),
    name: user.profile.full_name,
    username: user.username ?? '',
    email: user.email === '' ? null : user.email,
    phone: user.phone_number === '' ? null : user.phone_number,
    website: null,
  };
}

/** The user and, unless a fault drops them, its tokens beside it (seed 004 §1, §2.2, §3). */
export function signedIn(ctx: Ctx, user: User, omitTokens = false) {
  if (omitTokens) return userView(user);
  const { access, refresh } = issuePair(ctx, user);
  return { ...userView(user), access_token: access, refresh_token: refresh };
}

/** A password of at least 6 characters (a fault lifts the rule). */
export function readPassword(r: FieldReader, name: string, lengthUnchecked = false): string | undefined {
  const password = r.string(name, { required: true, trim: false, max: MAX_PASSWORD_LENGTH });
  if (password === undefined || lengthUnchecked || password.length >= FLUTTER_MIN_PASSWORD_LENGTH) return password;
  return r.fail(name, TEXT.passwordTooShort);
}

/** Seed 004's example "johndoe": letters and digits of the name or email, unique across users. */
function uniqueUsername(ctx: Ctx, seed: string, id: string): string {
  const base = seed.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, MAX_USERNAME_LENGTH - 8) || 'user';
  return ctx.store.findByUsername(base) ? `${base}${id}` : base;
}

/** A user with the neutral defaults of the fields the shared store keeps and this dialect never shows. */
export function newUser(ctx: Ctx, values: { name: string; email: string; phone: string; usernameSeed: string }, hashes: string[]): User {
  const id = ctx.store.newId();
  return plainUser(ctx, { id, phone: values.phone, email: values.email, fullName: values.name, hashes, username: uniqueUsername(ctx, values.usernameSeed, id) });
}

/** Seed 004 §3 Request Validation; every field problem is a 400, a mismatched confirmation a 422. */
function readRegistration(ctx: Ctx) {
  const r = ctx.reader();
  const emailOptional = ctx.fault('email-optional');
  const name = r.string('full_name', { required: true, max: MAX_NAME_LENGTH });
  const email = readEmail(r, ctx, !emailOptional, emailOptional) ?? (emailOptional ? '' : undefined);
  const password = readPassword(r, 'password', ctx.fault('password-length-unchecked'));
  const values = {
    name,
    email,
    password,
    confirm: ctx.fault('password-confirm-unchecked') ? password : r.string('confirm_password', { required: true, trim: false, max: MAX_PASSWORD_LENGTH }),
  };
  const valid = r.bag.required(ctx.t.validationFailed, values);
  if (valid.confirm !== valid.password) throw new FlutterError(422, TEXT.passwordMismatch);
  return valid;
}

/** Seed 004 §3: "Email already exists", a 400. */
function claimEmail(ctx: Ctx, email: string): void {
  if (email !== '' && !ctx.fault('duplicate-email-accepted') && ctx.store.findByEmail(email)) throw new FlutterError(400, TEXT.emailTaken);
}

/** POST auth/register {full_name, email, password, confirm_password} → 201 the user and its tokens. */
export async function register(ctx: Ctx): Promise<Success> {
  crashOnHostileInput(ctx);
  const values = readRegistration(ctx);
  const hash = await hashAndClaim(ctx, values.password, () => claimEmail(ctx, values.email));
  const name = ctx.fault('register-ignores-full-name') ? '' : values.name;
  const user = newUser(ctx, { name, email: values.email, phone: '', usernameSeed: values.email.split('@')[0] || values.name }, [hash]);
  ctx.store.saveUser(user);
  return ok('', signedIn(ctx, user, ctx.fault('register-omits-tokens')), ctx.fault('register-returns-200') ? 200 : 201);
}

/**
 * Seed 004 §1: "Invalid email or password", a 400, alike for an unknown email and a wrong
 * password (fault login-enumeration: each names the field at fault, in a body of its own shape).
 */
function badLogin(ctx: Ctx, field: 'email' | 'password'): FlutterError {
  if (!ctx.fault('login-enumeration')) return new FlutterError(400, TEXT.badLogin);
  return field === 'email' ? new FlutterError(400, TEXT.noSuchEmail, { email: [TEXT.noSuchEmail] }) : new FlutterError(400, TEXT.wrongPassword, { password: [TEXT.wrongPassword] });
}

async function authenticateLogin(ctx: Ctx, account: User | undefined, password: string): Promise<User> {
  const user = ctx.fault('login-by-email-broken') ? undefined : account;
  if (!user) {
    await refuseUnknownAccount(ctx, password);
    if (account === undefined && ctx.fault('unknown-user-404')) throw new FlutterError(404, TEXT.noSuchEmail);
    throw badLogin(ctx, 'email');
  }
  if (ctx.fault('accepts-wrong-password') || (await matchesAny(password, user.password_hashes))) return user;
  throw badLogin(ctx, 'password');
}

/** POST login {email, password} → 200 the user and its tokens. */
export async function login(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const { email, password } = r.bag.required(ctx.t.validationFailed, {
    email: r.string('email', { required: true, max: MAX_EMAIL_LENGTH }),
    password: r.string('password', { required: true, trim: false, max: MAX_PASSWORD_LENGTH }),
  });
  const account = ctx.store.findByEmail(email);
  const user = await throttledLogin(ctx, account, email, () => authenticateLogin(ctx, account, password));
  return ok('', signedIn(ctx, user));
}
