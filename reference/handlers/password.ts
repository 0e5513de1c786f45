/** Seed §7 Change Password and §8 Password Reset Flow. */
import type { Ctx } from '../context.js';
import { type Success, ok } from '../envelope.js';
import { crash } from '../errors.js';
import type { FaultName } from '../faults.js';
import { channelOf, issueOtp, matchCode, OTP_TTL_MS } from '../otp.js';
import { matchesAny } from '../passwords.js';
import { CHANNELS, type Channel, type OtpRecord, type User } from '../store.js';
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from '../validation.js';
import { readPasswordPair, requireUser, setPassword, spendAttempt } from './common.js';
import { invalidOtp } from './otp.js';

const CHANGE_PASSWORD = { password: 'new_password', confirm: 'new_password_confirm', lengthFault: 'change-password-length-unchecked', confirmFault: 'new-password-confirm-unchecked' } as const;
const RESET_PASSWORD = { password: 'new_password', confirm: 'new_password_confirm', confirmFault: 'reset-confirm-unchecked' } as const;
const RESET_SEND_BROKEN: Record<Channel, FaultName> = { email: 'reset-send-email-broken', phone: 'reset-send-phone-broken' };

export async function changePassword(ctx: Ctx): Promise<Success> {
  const user = requireUser(ctx);
  const r = ctx.reader();
  const old = r.string('old_password', { required: true, trim: false, max: MAX_PASSWORD_LENGTH });
  const password = readPasswordPair(r, ctx, CHANGE_PASSWORD);
  if (old !== undefined && !ctx.fault('old-password-unchecked') && !(await matchesAny(old, user.password_hashes))) {
    r.fail('old_password', ctx.t.oldPasswordWrong);
  }
  const valid = r.bag.required(ctx.t.passwordChangeFailed, { password });
  if (ctx.fault('change-password-500')) crash('change-password-500');
  if (!ctx.fault('change-password-not-applied')) await setPassword(ctx, user, valid.password, ctx.fault('change-password-keeps-old'));
  return ok(ctx.t.passwordChanged, {});
}

export async function sendResetOtp(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const given = r.string('identifier', { required: true, max: MAX_EMAIL_LENGTH });
  if (given !== undefined && ctx.fault(RESET_SEND_BROKEN[channelOf(given)])) r.fail('identifier', ctx.t.invalidChoice(given));
  const { identifier } = r.bag.required(ctx.t.validationFailed, { identifier: given });
  const key = `reset|${identifier.toLowerCase()}`;
  spendAttempt(ctx, key);
  const user = ctx.store.findByIdentifier(identifier);
  // No account enumeration: an unknown identifier gets the very same answer, and no code.
  if (user) issueOtp(ctx.store, ctx.now(), user.id, channelOf(identifier), 'reset');
  return ok(ctx.t.resetSent(identifier), { message: 'OTP sent successfully' });
}

/** Only a live reset code issued to this very account resets it (never a verification code). */
function findResetCode(ctx: Ctx, user: User, code: string): OtpRecord | undefined {
  const own = CHANNELS.map((c) => ctx.store.otp(user.id, c, 'reset'));
  const candidates = ctx.fault('reset-otp-unbound') ? ctx.store.otpsFor('reset') : own;
  const acceptAny = ctx.fault('reset-accepts-wrong-otp');
  const hit = matchCode(candidates, code, ctx.now(), acceptAny, own);
  if (hit || !acceptAny) return hit;
  return { userId: user.id, channel: 'email', purpose: 'reset', code, expiresAt: ctx.now() + OTP_TTL_MS, used: false, failures: 0 };
}

export async function resetPassword(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  // The password fields are validated before the code is looked at: a refused reset spends nothing.
  const valid = r.bag.required(ctx.t.passwordResetFailed, {
    identifier: r.string('identifier', { required: true, max: MAX_EMAIL_LENGTH }),
    code: r.string('otp', { required: true, max: 32 }),
    password: readPasswordPair(r, ctx, RESET_PASSWORD),
  });
  const user = ctx.store.findByIdentifier(valid.identifier);
  const record = user && findResetCode(ctx, user, valid.code);
  if (!user || !record) throw invalidOtp(ctx);
  if (ctx.fault('reset-broken')) crash('reset-broken');
  if (!ctx.fault('reset-otp-reusable')) record.used = true;
  if (!ctx.fault('reset-not-applied')) await setPassword(ctx, user, valid.password);
  return ok(ctx.t.resetDone, {});
}
