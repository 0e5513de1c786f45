/** Pieces several endpoints share: the caller, throttling, passwords, emails, roles, wallets. */
import type { Ctx } from '../context.js';
import { throttled } from '../errors.js';
import type { FaultName } from '../faults.js';
import { hashPassword } from '../passwords.js';
import type { User, Wallet } from '../store.js';
import { isEmail, looseBoolean, MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, parseNumber, ROLES, type FieldReader } from '../validation.js';

/** The authenticated caller; only the *-without-token faults let a handler run without one. */
export function requireUser(ctx: Ctx): User {
  if (!ctx.user) throw new Error('a protected handler ran without a user');
  return ctx.user;
}

/** Quirk rate-limit: past 5 attempts a minute for one key, answer 429 with Retry-After. */
export function checkThrottle(ctx: Ctx, key: string): void {
  if (!ctx.quirk('rate-limit')) return;
  const seconds = ctx.state.limiter.retryAfter(key, ctx.now());
  if (seconds > 0) throw throttled(ctx.t, seconds);
}

export function countAttempt(ctx: Ctx, key: string): void {
  if (ctx.quirk('rate-limit')) ctx.state.limiter.record(key, ctx.now());
}

/** Every attempt counts (sending a code), not only failed ones (logging in). */
export function spendAttempt(ctx: Ctx, key: string): void {
  checkThrottle(ctx, key);
  countAttempt(ctx, key);
}

export interface PasswordFields {
  readonly password: string;
  readonly confirm: string;
  /** Faults that switch off the length rule and the confirmation rule of this endpoint. */
  readonly lengthFault?: FaultName;
  readonly confirmFault: FaultName;
}

/** Seed §Validation Rules: "at least 8 characters"; the confirmation must equal it. */
export function readPasswordPair(r: FieldReader, ctx: Ctx, fields: PasswordFields): string | undefined {
  const rule = { required: true, trim: false, max: MAX_PASSWORD_LENGTH };
  const password = r.string(fields.password, rule);
  const confirm = ctx.fault(fields.confirmFault) ? password : r.string(fields.confirm, rule);
  if (password === undefined) return undefined;
  const short = password.length < MIN_PASSWORD_LENGTH && !(fields.lengthFault && ctx.fault(fields.lengthFault));
  const mismatch = confirm !== undefined && confirm !== password;
  if (short) r.fail(fields.password, ctx.t.passwordTooShort);
  if (mismatch) r.fail(fields.confirm, ctx.t.passwordMismatch);
  return short || mismatch ? undefined : password;
}

/** Sets a new password and ends every session opened before it (ASVS 5.0 7.4.3). */
export async function setPassword(ctx: Ctx, user: User, password: string, keepOld = false): Promise<void> {
  const hash = await hashPassword(password);
  user.password_hashes = keepOld ? [...user.password_hashes, hash] : [hash];
  user.tokens_valid_after = ctx.now();
}

export function readEmail(r: FieldReader, ctx: Ctx, required: boolean, allowBlank = false): string | undefined {
  const email = r.string('email', { required, allowBlank, max: MAX_EMAIL_LENGTH });
  if (email === undefined || email === '' || ctx.fault('email-format-unchecked') || isEmail(email)) return email;
  return r.fail('email', ctx.t.emailInvalid);
}

/** Emails are unique across accounts, case-insensitively; `duplicateFault` lifts the rule. */
export function checkEmailFree(r: FieldReader, ctx: Ctx, email: string | undefined, duplicateFault: FaultName, owner?: string): boolean {
  if (!email || ctx.fault(duplicateFault) || !ctx.store.findByEmail(email, owner)) return true;
  r.fail('email', ctx.t.emailTaken);
  return false;
}

export function readRole(r: FieldReader, ctx: Ctx, required: boolean, uncheckedFault: FaultName): string | undefined {
  return r.choice('role', ROLES, { required, unchecked: ctx.fault(uncheckedFault) });
}

type Counter = 'rating_avg' | 'total_tasks_posted' | 'total_tasks_completed';

/** Only for the mass-assignment faults: takes fields a client must never set from the body. */
export function applyPrivileged(ctx: Ctx, user: User, counters: readonly Counter[]): void {
  for (const flag of ['is_email_verified', 'is_phone_verified'] as const) {
    if (ctx.body[flag] !== undefined) user[flag] = looseBoolean(ctx.body[flag]);
  }
  for (const counter of counters) {
    const value = parseNumber(ctx.body[counter]);
    if (value !== undefined) user[counter] = value;
  }
}

export function createWallet(ctx: Ctx): Wallet {
  const now = ctx.now();
  const wallet: Wallet = { id: ctx.store.newId(), balance: 0, created_at: now, updated_at: now };
  ctx.store.saveWallet(wallet);
  return wallet;
}

/** Seed §9: each user has a wallet from registration on. */
export function openWallet(ctx: Ctx): string | null {
  if (ctx.fault('wallet-missing-for-new-user')) return null;
  if (ctx.fault('wallet-shared')) return (ctx.store.sharedWallet ??= createWallet(ctx)).id;
  return createWallet(ctx).id;
}
