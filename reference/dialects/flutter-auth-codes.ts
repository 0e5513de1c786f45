/**
 * Seed 004 §2 Phone OTP Sign In and §4 Password Reset Flow: codes by phone that sign in, and a
 * three-step reset (a code by email, traded for a reset token, which sets the password). Codes
 * are the shared ones (reference/otp.ts): 6 digits, single use, bound to one user, one channel
 * and one purpose, burnt by five wrong guesses. Every check of a single-use thing and its use
 * run with no await between them, so they are atomic.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context.js';
import { ok, type Success } from '../envelope.js';
import { crash } from '../errors.js';
import { deliverResetMessage, hashCost, raceWindow, spendAttempt, storePassword, throttleFor } from '../handlers/common.js';
import { issueOtp, matchCode, newCode } from '../otp.js';
import { hashPassword } from '../passwords.js';
import type { OtpRecord, Store, User } from '../store.js';
import { isEmail, MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from '../validation.js';
import { FlutterError } from './flutter-auth-envelope.js';
import { newUser, readPassword, signedIn, TEXT } from './flutter-auth-handlers.js';

/** Seed 004 §2.1 "minimum 10 digits, should include country code": an optional +, then 10 to 15 digits (E.164's most). */
const PHONE = /^\+?\d{10,15}$/;
const MAX_PHONE_LENGTH = 32;
const MAX_CODE_LENGTH = 32;
const MAX_TOKEN_LENGTH = 256;
/** Seed 004 §2.1 "expires_in": 300 and §4.1 "expires_in": 600, in seconds. */
const SIGNIN_TTL_S = 300;
const RESET_CODE_TTL_S = 600;
/** The reset token of step 2 lives long enough to type a new password, no longer. */
const RESET_TOKEN_TTL_MS = 15 * 60 * 1000;

const CODE_TEXT = {
  invalidPhone: 'Invalid phone number',
  invalidOtp: 'Invalid or expired OTP',
  invalidResetCode: 'Invalid or expired verification code',
  invalidResetToken: 'Invalid or expired reset token',
  otpSent: 'OTP sent successfully',
  resetSent: 'Verification code sent to email',
  resetVerified: 'OTP verified successfully',
  resetDone: 'Password reset successfully',
} as const;

/** Fault otp-echoed: the answer to a send carries the code it sent. */
function withEcho<T extends object>(ctx: Ctx, record: OtpRecord | undefined, data: T): T | (T & { otp: string }) {
  return record && ctx.fault('otp-echoed') ? { ...data, otp: record.code } : data;
}

function readPhone(ctx: Ctx): string {
  const r = ctx.reader();
  const { phone } = r.bag.required(ctx.t.validationFailed, { phone: r.string('phone', { required: true, max: MAX_PHONE_LENGTH }) });
  if (!PHONE.test(phone) && !ctx.fault('signin-phone-unchecked')) throw new FlutterError(400, CODE_TEXT.invalidPhone);
  return phone;
}

/** A phone with no account gets one, with no name, email or password: its codes are its only way in. */
function phoneUser(ctx: Ctx, phone: string): User {
  const found = ctx.store.findByPhone(phone);
  if (found) return found;
  const user = newUser(ctx, { name: '', email: '', phone, usernameSeed: `user${phone.replace(/\D/g, '')}` }, []);
  ctx.store.saveUser(user);
  return user;
}

/** POST auth/send-otp {phone} → 200 {message, phone, expires_in}; the code goes to the phone only. */
export async function sendOtp(ctx: Ctx): Promise<Success> {
  const phone = readPhone(ctx);
  if (ctx.fault('signin-send-broken')) crash('signin-send-broken');
  // Seed 004 §Security Considerations: "Implement rate limiting for OTP requests".
  spendAttempt(ctx, throttleFor(ctx, 'otp-send', `phone:${phone}`));
  const record = issueOtp(ctx, phoneUser(ctx, phone).id, 'phone', 'verify');
  return ok('', withEcho(ctx, record, { message: CODE_TEXT.otpSent, phone, expires_in: SIGNIN_TTL_S }));
}

/** The live sign-in code sent to this phone that the code matches (faults: another phone's, or any). */
function findSignInCode(ctx: Ctx, user: User | undefined, code: string): OtpRecord | undefined {
  const own = user && ctx.store.otp(user.id, 'phone', 'verify');
  const candidates = ctx.fault('signin-code-unbound') ? ctx.store.otpsFor('verify').filter((c) => c.channel === 'phone') : [own];
  return matchCode(ctx, candidates, code, ctx.fault('signin-accepts-wrong-code'), [own]);
}

/** POST auth/verify-otp {phone, otp} → 200 the user and its tokens; the code is spent. */
export async function verifyOtp(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const { phone, code } = r.bag.required(ctx.t.validationFailed, {
    phone: r.string('phone', { required: true, max: MAX_PHONE_LENGTH }),
    code: r.string('otp', { required: true, max: MAX_CODE_LENGTH }),
  });
  const user = ctx.store.findByPhone(phone);
  const record = findSignInCode(ctx, user, code);
  // Fault signin-code-unbound: another phone's code signs this phone in, account or not.
  const target = record && (user ?? (ctx.fault('signin-code-unbound') ? phoneUser(ctx, phone) : undefined));
  if (!record || !target) throw new FlutterError(400, CODE_TEXT.invalidOtp);
  if (!ctx.fault('signin-code-reusable')) record.used = true;
  target.is_phone_verified = true;
  return ok('', signedIn(ctx, target, ctx.fault('signin-omits-tokens')));
}

/** A reset code: the shared code generation (and its digit fault), valid 10 minutes as seed 004 §4.1 says. */
function issueResetCode(ctx: Ctx, user: User): OtpRecord {
  const code = newCode(ctx);
  const record: OtpRecord = { userId: user.id, channel: 'email', purpose: 'reset', code, expiresAt: ctx.now() + RESET_CODE_TTL_S * 1000, used: false, failures: 0 };
  ctx.store.saveOtp(record);
  ctx.state.secrets.noteOtp(code);
  return record;
}

function readResetEmail(ctx: Ctx): string {
  const r = ctx.reader();
  const email = r.string('email', { required: true, max: MAX_EMAIL_LENGTH });
  if (email !== undefined && !isEmail(email)) r.fail('email', ctx.t.emailInvalid);
  if (email !== undefined && ctx.fault('reset-send-email-broken')) r.fail('email', ctx.t.invalidChoice(email));
  return r.bag.required(ctx.t.validationFailed, { email }).email;
}

/**
 * POST auth/forgot-password {email} → 200 {message, email, expires_in}. An unknown email gets
 * the very same answer and no code (fault reset-enumeration: the seed's 400 "Email not found").
 */
export async function forgotPassword(ctx: Ctx): Promise<Success> {
  const email = readResetEmail(ctx);
  spendAttempt(ctx, throttleFor(ctx, 'reset-send', email.toLowerCase()));
  const user = ctx.store.findByEmail(email);
  if (!user && ctx.fault('reset-enumeration')) throw new FlutterError(400, TEXT.noSuchEmail);
  const record = user && issueResetCode(ctx, user);
  await deliverResetMessage(ctx, user !== undefined);
  return ok('', withEcho(ctx, record, { message: CODE_TEXT.resetSent, email, expires_in: RESET_CODE_TTL_S }));
}

interface ResetGrant {
  readonly userId: string;
  readonly expiresAt: number;
  used: boolean;
}

/** Reset tokens of one server (the shared store has no place for them): random, single use, bound to a user. */
interface ResetTokens {
  readonly grants: Map<string, ResetGrant>;
}

const RESET_TOKENS = new WeakMap<Store, ResetTokens>();

function resetTokens(ctx: Ctx): ResetTokens {
  let tokens = RESET_TOKENS.get(ctx.store);
  if (!tokens) RESET_TOKENS.set(ctx.store, (tokens = { grants: new Map() }));
  return tokens;
}

function grantResetToken(ctx: Ctx, user: User): string {
  const tokens = resetTokens(ctx);
  const now = ctx.now();
  for (const [key, grant] of tokens.grants) if (grant.used || grant.expiresAt <= now) tokens.grants.delete(key);
  const token = ctx.state.secrets.noteToken(randomBytes(32).toString('base64url'));
  tokens.grants.set(token, { userId: user.id, expiresAt: now + RESET_TOKEN_TTL_MS, used: false });
  return token;
}

/**
 * The user and the reset code matched for it, or undefined. Faults: any account's code counts
 * (reset-otp-unbound), any code at all does (reset-accepts-wrong-otp).
 */
function findResetCode(ctx: Ctx, email: string, code: string): { user: User; record: OtpRecord | undefined } | undefined {
  const user = ctx.store.findByEmail(email);
  if (!user) return undefined;
  const own = ctx.store.otp(user.id, 'email', 'reset');
  const candidates = ctx.fault('reset-otp-unbound') ? ctx.store.otpsFor('reset') : [own];
  const acceptAny = ctx.fault('reset-accepts-wrong-otp');
  const record = matchCode(ctx, candidates, code, acceptAny, [own]);
  return record || acceptAny ? { user, record } : undefined;
}

/** POST auth/verify-reset-otp {email, otp} → 200 {message, reset_token}; the code is spent. */
export async function verifyResetOtp(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const { email, code } = r.bag.required(ctx.t.validationFailed, {
    email: r.string('email', { required: true, max: MAX_EMAIL_LENGTH }),
    code: r.string('otp', { required: true, max: MAX_CODE_LENGTH }),
  });
  // Finding the code and spending it run with no await between them (fault reset-race: a
  // pause after finding it, so concurrent verifications all find it live).
  const early = ctx.fault('reset-race') ? findResetCode(ctx, email, code) : undefined;
  await raceWindow(ctx, 'reset-race');
  const found = early ?? findResetCode(ctx, email, code);
  if (!found) throw new FlutterError(400, CODE_TEXT.invalidResetCode);
  if (found.record && !ctx.fault('reset-otp-reusable')) found.record.used = true;
  return ok('', { message: CODE_TEXT.resetVerified, reset_token: grantResetToken(ctx, found.user) });
}

/** The live grant of a token and its user. */
function findGrant(ctx: Ctx, token: string): { user: User; grant: ResetGrant } | undefined {
  const grant = resetTokens(ctx).grants.get(token);
  const live = grant && !grant.used && ctx.now() < grant.expiresAt ? grant : undefined;
  const user = live && ctx.store.user(live.userId);
  return user && { user, grant: live };
}

/** Every other reset token of the user is spent with the one used: the password they were for is gone. */
function spendGrants(ctx: Ctx, user: User): void {
  for (const grant of resetTokens(ctx).grants.values()) if (grant.userId === user.id) grant.used = true;
}

/**
 * POST auth/reset-password {reset_token, new_password, confirm_password} → 200 {message}. A
 * refused reset (short password 400, mismatch 422, bad token 400) changes nothing and spends nothing.
 */
export async function resetPassword(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const password = readPassword(r, 'new_password');
  const values = r.bag.required(ctx.t.validationFailed, {
    token: r.string('reset_token', { required: true, trim: false, max: MAX_TOKEN_LENGTH }),
    password,
    confirm: ctx.fault('reset-confirm-unchecked') ? password : r.string('confirm_password', { required: true, trim: false, max: MAX_PASSWORD_LENGTH }),
  });
  if (values.confirm !== values.password) throw new FlutterError(422, TEXT.passwordMismatch);
  // Hashed first: finding the token, spending it and storing the password then run with no await.
  const hash = await hashPassword(values.password, hashCost(ctx));
  const found = findGrant(ctx, values.token);
  // Fault reset-token-unchecked: a token never issued is answered as a done reset (the update
  // matched no account). Which account it touches never depends on what else the server is doing.
  if (!found && ctx.fault('reset-token-unchecked')) return ok('', { message: CODE_TEXT.resetDone });
  if (!found) throw new FlutterError(400, CODE_TEXT.invalidResetToken);
  if (ctx.fault('reset-broken')) crash('reset-broken');
  if (!ctx.fault('reset-token-reusable')) spendGrants(ctx, found.user);
  if (!ctx.fault('reset-not-applied')) storePassword(ctx, found.user, hash);
  return ok('', { message: CODE_TEXT.resetDone });
}
