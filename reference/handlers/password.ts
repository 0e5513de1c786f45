/** Seed §7 Change Password and §8 Password Reset Flow (quirk reset-link-token: a reset by one mailed token). */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../context.js';
import { type Success, ok } from '../envelope.js';
import { badRequest, crash } from '../errors.js';
import type { FaultName } from '../faults.js';
import { channelOf, issueOtp, matchCode, OTP_TTL_MS } from '../otp.js';
import { hashPassword, matchesAny } from '../passwords.js';
import { CHANNELS, type Channel, type OtpRecord, type Purpose, type User } from '../store.js';
import { TOKEN_TYPES, type TokenType } from '../tokens.js';
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from '../validation.js';
import { deliverResetMessage, hashCost, raceWindow, readPasswordPair, requireUser, spendAttempt, storePassword, throttleFor } from './common.js';
import { echoCode, invalidOtp } from './otp.js';

const CHANGE_PASSWORD = { password: 'new_password', confirm: 'new_password_confirm', lengthFault: 'change-password-length-unchecked', confirmFault: 'new-password-confirm-unchecked' } as const;
const RESET_PASSWORD = { password: 'new_password', confirm: 'new_password_confirm', confirmFault: 'reset-confirm-unchecked' } as const;
const RESET_SEND_BROKEN: Record<Channel, FaultName> = { email: 'reset-send-email-broken', phone: 'reset-send-phone-broken' };

/** The token types a fault keeps valid across a password change. */
const CHANGE_SURVIVORS: ReadonlyArray<readonly [TokenType, FaultName]> = [
  ['access', 'tokens-survive-password-change'],
  ['refresh', 'refresh-survives-password-change'],
];

export async function changePassword(ctx: Ctx): Promise<Success> {
  const user = requireUser(ctx);
  const r = ctx.reader();
  // Fault change-password-without-old: the current password is checked when given, not required.
  const old = r.string('old_password', { required: !ctx.fault('change-password-without-old'), trim: false, max: MAX_PASSWORD_LENGTH });
  const password = readPasswordPair(r, ctx, CHANGE_PASSWORD);
  if (old !== undefined && !ctx.fault('old-password-unchecked') && !(await matchesAny(old, user.password_hashes))) {
    r.fail('old_password', ctx.t.oldPasswordWrong);
  }
  const valid = r.bag.required(ctx.t.passwordChangeFailed, { password });
  if (ctx.fault('change-password-500')) crash('change-password-500');
  const survivors = CHANGE_SURVIVORS.filter(([, fault]) => ctx.fault(fault)).map(([type]) => type);
  const hash = await hashPassword(valid.password, hashCost(ctx));
  if (!ctx.fault('change-password-not-applied')) storePassword(ctx, user, hash, { keepOld: ctx.fault('change-password-keeps-old'), survivors });
  return ok(ctx.t.passwordChanged, {});
}

export async function sendResetOtp(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const given = r.string('identifier', { required: true, max: MAX_EMAIL_LENGTH });
  if (given !== undefined && ctx.fault(RESET_SEND_BROKEN[channelOf(given)])) r.fail('identifier', ctx.t.invalidChoice(given));
  const { identifier } = r.bag.required(ctx.t.validationFailed, { identifier: given });
  spendAttempt(ctx, throttleFor(ctx, 'reset-send', identifier.toLowerCase()));
  const user = ctx.store.findByIdentifier(identifier);
  // No account enumeration: an unknown identifier gets the very same answer, and no code.
  if (!user && ctx.fault('reset-enumeration')) throw badRequest(ctx.t, 'identifier', ctx.t.noAccount, ctx.t.validationFailed);
  const record = user && (ctx.quirk('reset-link-token') ? issueResetToken(ctx, user.id, channelOf(identifier)) : issueOtp(ctx, user.id, channelOf(identifier), 'reset'));
  await deliverResetMessage(ctx, user !== undefined);
  return ok(ctx.t.resetSent(identifier), echoCode(ctx, record, { message: 'OTP sent successfully' }));
}

function codesOf(ctx: Ctx, user: User, purpose: Purpose): Array<OtpRecord | undefined> {
  return CHANNELS.map((c) => ctx.store.otp(user.id, c, purpose));
}

/** Only a live reset code issued to this very account resets it (never a verification code). */
function findResetCode(ctx: Ctx, user: User, code: string): OtpRecord | undefined {
  const own = codesOf(ctx, user, 'reset');
  const others = ctx.fault('otp-purpose-unbound') ? codesOf(ctx, user, 'verify') : [];
  const candidates = [...(ctx.fault('reset-otp-unbound') ? ctx.store.otpsFor('reset') : own), ...others];
  const acceptAny = ctx.fault('reset-accepts-wrong-otp');
  const hit = matchCode(ctx, candidates, code, acceptAny, own);
  if (hit || !acceptAny) return hit;
  return { userId: user.id, channel: 'email', purpose: 'reset', code, expiresAt: ctx.now() + OTP_TTL_MS, used: false, failures: 0 };
}

function findResetTarget(ctx: Ctx, identifier: string, code: string): { user: User; record: OtpRecord } {
  const user = ctx.store.findByIdentifier(identifier);
  const record = user && findResetCode(ctx, user, code);
  if (!user || !record) throw invalidOtp(ctx);
  return { user, record };
}

export async function resetPassword(ctx: Ctx): Promise<Success> {
  if (ctx.quirk('reset-link-token')) return resetWithToken(ctx);
  const r = ctx.reader();
  // The password fields are validated before the code is looked at: a refused reset spends nothing.
  const valid = r.bag.required(ctx.t.passwordResetFailed, {
    identifier: r.string('identifier', { required: true, max: MAX_EMAIL_LENGTH }),
    code: r.string('otp', { required: true, max: 32 }),
    password: readPasswordPair(r, ctx, RESET_PASSWORD),
  });
  // Hashed first: finding the code, spending it and storing the password then run with no await
  // between them (fault reset-race: the code is found before the hash and spent after it).
  const early = ctx.fault('reset-race') ? findResetTarget(ctx, valid.identifier, valid.code) : undefined;
  await raceWindow(ctx, 'reset-race');
  const hash = await hashPassword(valid.password, hashCost(ctx));
  const { user, record } = early ?? findResetTarget(ctx, valid.identifier, valid.code);
  if (ctx.fault('reset-broken')) crash('reset-broken');
  if (!ctx.fault('reset-otp-reusable')) record.used = true;
  if (!ctx.fault('reset-not-applied')) storePassword(ctx, user, hash, { survivors: ctx.fault('tokens-survive-reset') ? TOKEN_TYPES : [] });
  return ok(ctx.t.resetDone, {});
}

/** Quirk reset-link-token: how long a mailed reset token lives, as Parse Server's default link does. */
const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
/** Fault reset-link-token-prefix-only: how much of a token is compared. */
const COMPARED_PREFIX = 8;

/** Quirk reset-link-token: one random token per reset request (kept in the code's place), mailed in a link. */
function issueResetToken(ctx: Ctx, userId: string, channel: Channel): OtpRecord {
  const record: OtpRecord = { userId, channel, purpose: 'reset', code: ctx.state.secrets.noteToken(randomBytes(24).toString('base64url')), expiresAt: ctx.now() + RESET_TOKEN_TTL_MS, used: false, failures: 0 };
  ctx.store.saveOtp(record);
  return record;
}

function tokenMatches(ctx: Ctx, record: OtpRecord, token: string): boolean {
  const compared = (value: string) => Buffer.from(ctx.fault('reset-link-token-prefix-only') ? value.slice(0, COMPARED_PREFIX) : value);
  const [a, b] = [compared(record.code), compared(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The live reset token the request presents, and the account it resets: the token's own, which
 * a username, when sent, must name too (fault reset-link-token-unbound: the account the username
 * names, whoever the token was issued to).
 */
function findTokenTarget(ctx: Ctx, token: string, username: string | undefined): { user: User; record: OtpRecord } {
  const nowMs = ctx.now();
  const record = ctx.store.otpsFor('reset').find((r) => !r.used && nowMs < r.expiresAt && tokenMatches(ctx, r, token));
  const named = username === undefined ? undefined : ctx.store.findByIdentifier(username);
  const user = record && (named && ctx.fault('reset-link-token-unbound') ? named : ctx.store.user(record.userId));
  if (!user || !record || (username !== undefined && named?.id !== user.id)) throw badRequest(ctx.t, 'token', ctx.t.invalidOtp, ctx.t.invalidOtpMessage);
  return { user, record };
}

/**
 * Quirk reset-link-token: the reset mail links to choose_password?token=…&username=…, and the
 * reset takes {token, new_password, new_password_confirm}, as Parse Server's request_password_reset
 * takes the token and the new password (and, in its older versions, the username too: optional
 * here). The same order as a reset by code: the password is validated first, the token found
 * and spent with no await between.
 */
async function resetWithToken(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const username = r.string('username', { max: MAX_EMAIL_LENGTH });
  const valid = r.bag.required(ctx.t.passwordResetFailed, {
    token: r.string('token', { required: true, max: 256 }),
    password: readPasswordPair(r, ctx, RESET_PASSWORD),
  });
  const early = ctx.fault('reset-race') ? findTokenTarget(ctx, valid.token, username) : undefined;
  await raceWindow(ctx, 'reset-race');
  const hash = await hashPassword(valid.password, hashCost(ctx));
  const { user, record } = early ?? findTokenTarget(ctx, valid.token, username);
  if (ctx.fault('reset-broken')) crash('reset-broken');
  if (!ctx.fault('reset-link-token-reusable')) record.used = true;
  if (!ctx.fault('reset-not-applied')) storePassword(ctx, user, hash, { survivors: ctx.fault('tokens-survive-reset') ? TOKEN_TYPES : [] });
  return ok(ctx.t.resetDone, {});
}

/** Quirk reset-link-token: the mail a reset token goes out in, as a test mailer records it. */
export function resetMail(ctx: Ctx, user: User, record: OtpRecord): Record<string, string> {
  const to = record.channel === 'email' ? user.email : user.phone_number;
  const link = ctx.absoluteUrl(`/apps/tasklink/choose_password?token=${encodeURIComponent(record.code)}&username=${encodeURIComponent(to)}`);
  return { to, kind: 'passwordReset', subject: 'Password Reset for TaskLink', text: `Hi,\n\nYou requested to reset your password for TaskLink.\n\nClick here to reset it:\n${link}\n` };
}
