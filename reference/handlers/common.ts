/** Pieces several endpoints share: the caller, throttling, races, passwords, emails, roles, wallets. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Ctx } from '../context.js';
import { crash, throttled, type ApiError } from '../errors.js';
import type { FaultName } from '../faults.js';
import { hashPassword, spendVerificationTime, type HashCost } from '../passwords.js';
import type { Rate } from '../ratelimit.js';
import type { User, Wallet } from '../store.js';
import { TOKEN_TYPES, type TokenType } from '../tokens.js';
import { isEmail, isPlainObject, looseBoolean, MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, parseNumber, ROLES, type FieldReader } from '../validation.js';

/** The authenticated caller; only the *-without-token faults let a handler run without one. */
export function requireUser(ctx: Ctx): User {
  if (!ctx.user) throw new Error('a protected handler ran without a user');
  return ctx.user;
}

const MINUTE_MS = 60_000;

/**
 * Failed logins per account in 15 minutes; codes sent per user, and reset codes per identifier,
 * a minute. The quirk rate-limit is tighter. Each scope has a fault that switches it off.
 */
const SCOPES = {
  login: { limit: 10, tight: 3, windowMs: 15 * MINUTE_MS, off: 'no-login-throttling' },
  'otp-send': { limit: 5, tight: 3, windowMs: MINUTE_MS, off: 'no-otp-send-throttling' },
  'reset-send': { limit: 5, tight: 3, windowMs: MINUTE_MS, off: 'no-reset-send-throttling' },
} as const satisfies Record<string, { limit: number; tight: number; windowMs: number; off: FaultName }>;

export interface Throttle {
  readonly key: string;
  readonly rate: Rate;
  readonly on: boolean;
}

export function throttleFor(ctx: Ctx, scope: keyof typeof SCOPES, subject: string): Throttle {
  const { limit, tight, windowMs, off } = SCOPES[scope];
  const rate = { limit: ctx.quirk('rate-limit') ? tight : limit, windowMs, permanent: scope === 'login' && ctx.fault('permanent-lockout') };
  return { key: `${scope}|${subject}`, rate, on: !ctx.fault(off) };
}

/** Past the limit: 429 with Retry-After, the seconds until the window frees. */
export function checkThrottle(ctx: Ctx, throttle: Throttle): void {
  const seconds = throttle.on ? ctx.state.limiter.retryAfter(throttle.key, throttle.rate, ctx.now()) : 0;
  if (seconds > 0) throw throttled(ctx.t, seconds);
}

export function countAttempt(ctx: Ctx, throttle: Throttle): void {
  if (throttle.on) ctx.state.limiter.record(throttle.key, throttle.rate, ctx.now());
}

/** Every attempt counts (sending a code), not only failed ones (logging in). */
export function spendAttempt(ctx: Ctx, throttle: Throttle): void {
  checkThrottle(ctx, throttle);
  countAttempt(ctx, throttle);
}

/**
 * Long enough for concurrent requests to meet, like a slow database round trip. The self-tests
 * batch 160 fault runs against servers sharing one event loop; eight requests fired together
 * can then reach a server more than 100 ms apart. With a 100 ms window, otp-verify-race once went
 * uncaught because its race never happened.
 */
const RACE_WINDOW_MS = 400;

/**
 * The race faults: a pause between checking a single-use thing and using it up. Without them
 * every check and its action run with no await between them, so they are atomic.
 */
export async function raceWindow(ctx: Ctx, fault: FaultName): Promise<void> {
  if (ctx.fault(fault)) await sleep(RACE_WINDOW_MS);
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
  // Quirk no-confirmation: the API takes the password once; a confirmation, if sent, is not read.
  const confirm = ctx.fault(fields.confirmFault) || ctx.quirk('no-confirmation') ? password : r.string(fields.confirm, rule);
  if (password === undefined) return undefined;
  const short = password.length < MIN_PASSWORD_LENGTH && !(fields.lengthFault && ctx.fault(fields.lengthFault));
  const mismatch = confirm !== undefined && confirm !== password;
  if (short) r.fail(fields.password, ctx.t.passwordTooShort);
  if (mismatch) r.fail(fields.confirm, ctx.t.passwordMismatch);
  return short || mismatch ? undefined : password;
}

export interface PasswordChange {
  /** Fault change-password-keeps-old: the previous hashes keep working. */
  readonly keepOld?: boolean;
  /** Token types a fault keeps valid across the change. */
  readonly survivors?: readonly TokenType[];
}

/**
 * Stores a password hashed beforehand (no await here, so a caller can check and store
 * atomically) and ends every session opened before it (ASVS 5.0 7.4.3).
 */
export function storePassword(ctx: Ctx, user: User, hash: string, change: PasswordChange = {}): void {
  user.password_hashes = change.keepOld ? [...user.password_hashes, hash] : [hash];
  for (const type of TOKEN_TYPES) if (!change.survivors?.includes(type)) user.tokens_valid_after[type] = ctx.now();
}

export function readEmail(r: FieldReader, ctx: Ctx, required: boolean, allowBlank = false): string | undefined {
  const email = r.string('email', { required, allowBlank, max: ctx.fault('email-length-unchecked') ? undefined : MAX_EMAIL_LENGTH });
  if (email === undefined || email === '') return email;
  if (!ctx.fault('email-format-unchecked') && !isEmail(email)) return r.fail('email', ctx.t.emailInvalid);
  // Fault email-leading-space-kept: validated trimmed, stored with only the end trimmed (an rstrip).
  const raw = r.raw('email');
  return ctx.fault('email-leading-space-kept') && typeof raw === 'string' ? raw.trimEnd() : email;
}

/** Emails are unique across accounts, case-insensitively; `duplicateFault` lifts the rule. */
export function checkEmailFree(r: FieldReader, ctx: Ctx, email: string | undefined, duplicateFault: FaultName, owner?: string): boolean {
  const other = email ? ctx.store.findByEmail(email, owner) : undefined;
  // Fault email-domain-case-distinct: addresses are compared exactly, so user@Example.COM is not user@example.com.
  const taken = other !== undefined && (!ctx.fault('email-domain-case-distinct') || other.email === email);
  if (!email || ctx.fault(duplicateFault) || !taken) return true;
  r.fail('email', ctx.t.emailTaken);
  return false;
}

export function readRole(r: FieldReader, ctx: Ctx, required: boolean, uncheckedFault: FaultName): string | undefined {
  return r.choice('role', ROLES, { required, unchecked: ctx.fault(uncheckedFault) });
}

/** The verification flags, which only a proven code may set. */
export const FLAGS = ['is_email_verified', 'is_phone_verified'] as const;
type Flag = (typeof FLAGS)[number];
type Privileged = Flag | 'rating_avg' | 'total_tasks_posted' | 'total_tasks_completed' | 'balance';

function isFlag(field: Privileged): field is Flag {
  return (FLAGS as readonly string[]).includes(field);
}

/** Only for the mass-assignment faults: takes fields a client must never set from the body. */
export function applyPrivileged(ctx: Ctx, user: User, fields: readonly Privileged[]): void {
  for (const field of fields) {
    const raw = ctx.body[field];
    if (raw === undefined) continue;
    if (isFlag(field)) {
      user[field] = looseBoolean(raw);
      continue;
    }
    const value = parseNumber(raw);
    if (value === undefined) continue;
    if (field === 'balance') setBalance(ctx, user, value);
    else user[field] = value;
  }
}

function setBalance(ctx: Ctx, user: User, balance: number): void {
  const wallet = ctx.store.wallet(user.wallet_id);
  if (wallet) wallet.balance = balance;
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

/** What the long-input-500 fault chokes on. */
const LONG_INPUT = 5000;

/** Every string of a body, in nested objects and arrays too. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  return isPlainObject(value) ? Object.values(value).flatMap(stringsIn) : [];
}

/** The robustness faults: inputs a careless server crashes on. */
export function crashOnHostileInput(ctx: Ctx): void {
  const strings = stringsIn(ctx.body);
  if (ctx.fault('long-input-500') && strings.some((s) => s.length > LONG_INPUT)) crash('long-input-500');
  if (ctx.fault('nul-char-500') && strings.some((s) => s.includes('\0'))) crash('nul-char-500');
  if (ctx.fault('wrong-types-500') && ctx.body.password !== undefined && typeof ctx.body.password !== 'string') crash('wrong-types-500');
}

/**
 * Hashes a new account's password and claims its email, atomically: the claim (a check that
 * throws when the email is taken) runs after the last await, so concurrent sign-ups cannot all
 * pass it. Fault register-race claims before the hashing, with a pause, so they all do.
 */
export async function hashAndClaim(ctx: Ctx, password: string, claim: () => void): Promise<string> {
  const racy = ctx.fault('register-race');
  if (racy) claim();
  await raceWindow(ctx, 'register-race');
  const hash = await hashPassword(password, hashCost(ctx));
  if (!racy) claim();
  return hash;
}

/**
 * The cost passwords are hashed at: the test cost, or (fault login-timing-leak) the cost of a
 * production server, whose hash is slow enough for its absence to show in answer times.
 */
export function hashCost(ctx: Ctx): HashCost {
  return ctx.fault('login-timing-leak') ? 'production' : 'test';
}

/**
 * A login for an account that does not exist costs one password verification all the same, so
 * that its answer time does not tell (fault login-timing-leak: it is refused at once).
 */
export async function refuseUnknownAccount(ctx: Ctx, password: string): Promise<void> {
  if (!ctx.fault('login-timing-leak')) await spendVerificationTime(password);
}

/** Mail delivery is queued; fault reset-timing-leak delivers a known account's reset mail before answering (an SMTP round trip). */
const DELIVERY_MS = 150;

export async function deliverResetMessage(ctx: Ctx, known: boolean): Promise<void> {
  if (known && ctx.fault('reset-timing-leak')) await sleep(DELIVERY_MS);
}

/**
 * A login, throttled: failed attempts count per account (or, for a name no account has, per
 * name), and while the account is throttled even the right password is refused.
 */
export async function throttledLogin(ctx: Ctx, account: User | undefined, name: string, verify: () => Promise<User>): Promise<User> {
  const throttle = throttleFor(ctx, 'login', account ? `user:${account.id}` : `name:${name.toLowerCase()}`);
  checkThrottle(ctx, throttle);
  try {
    return await verify();
  } catch (error) {
    countAttempt(ctx, throttle);
    throw error;
  }
}

/**
 * Quirk lockout-throttling: past the limit the account is locked, as Parse Server's
 * accountLockout and django-axes do: every login is refused like a wrong password, the right one
 * included, until the window ends. No 429.
 */
export async function lockedOutLogin(ctx: Ctx, account: User | undefined, name: string, verify: () => Promise<User>, refused: () => ApiError): Promise<User> {
  const throttle = throttleFor(ctx, 'login', account ? `user:${account.id}` : `name:${name.toLowerCase()}`);
  const locked = throttle.on && ctx.state.limiter.retryAfter(throttle.key, throttle.rate, ctx.now()) > 0;
  try {
    const user = await verify();
    if (locked) throw refused();
    return user;
  } catch (error) {
    countAttempt(ctx, throttle);
    throw error;
  }
}

/** What a dialect's own sign-up (or the provisioning hook) knows of a new user. */
export interface PlainUserValues {
  readonly phone: string;
  readonly email: string;
  readonly fullName: string;
  readonly hashes: string[];
  /** Given when the dialect needs the id first (to derive a username from it). */
  readonly id?: string;
  readonly username?: string;
  readonly firstName?: string;
  readonly lastName?: string;
}

/**
 * A user of a dialect that shows only some of the seed-000 store's fields: the fields it never
 * shows (verification flags, role, counters, location, wallet) hold their neutral defaults.
 */
export function plainUser(ctx: Ctx, values: PlainUserValues): User {
  return {
    id: values.id ?? ctx.store.newId(),
    phone_number: values.phone,
    email: values.email,
    password_hashes: values.hashes,
    is_phone_verified: false,
    is_email_verified: false,
    role: 'user',
    rating_avg: 0,
    total_tasks_posted: 0,
    total_tasks_completed: 0,
    created_at: ctx.now(),
    profile: { full_name: values.fullName, profile_image: null, bio: '', date_of_birth: null, gender: '' },
    location: null,
    wallet_id: null,
    tokens_valid_after: { access: 0, refresh: 0 },
    username: values.username,
    first_name: values.firstName,
    last_name: values.lastName,
  };
}
