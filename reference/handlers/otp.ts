/** Seed §3 Send OTP and §4 Verify OTP: "Two types: email and phone", 6 digits. */
import type { Ctx } from '../context.js';
import { type Success, ok } from '../envelope.js';
import { badRequest, type ApiError } from '../errors.js';
import type { FaultName } from '../faults.js';
import { isChannel, issueOtp, matchCode } from '../otp.js';
import { CHANNELS, type Channel, type OtpRecord, type User } from '../store.js';
import { raceWindow, requireUser, spendAttempt, throttleFor } from './common.js';

const SEND_BROKEN: Record<Channel, FaultName> = { email: 'send-otp-email-broken', phone: 'send-otp-phone-broken' };

export function invalidOtp(ctx: Ctx): ApiError {
  return badRequest(ctx.t, 'otp', ctx.t.invalidOtp, ctx.t.invalidOtpMessage);
}

/** Fault otp-echoed: the answer to a send carries the code it sent. */
export function echoCode(ctx: Ctx, record: OtpRecord | undefined, data: Record<string, string>): Record<string, string> {
  return record && ctx.fault('otp-echoed') ? { ...data, otp: record.code } : data;
}

export async function sendOtp(ctx: Ctx): Promise<Success> {
  const user = requireUser(ctx);
  const r = ctx.reader();
  const type = r.choice('type', CHANNELS, { required: true, unchecked: ctx.fault('otp-type-unchecked') });
  if (type !== undefined && isChannel(type) && ctx.fault(SEND_BROKEN[type])) r.fail('type', ctx.t.invalidChoice(type));
  // Quirk send-otp-needs-email: the request names the signed-in user's email, as better-auth's send-verification-otp does.
  if (ctx.quirk('send-otp-needs-email') && ctx.body.email !== user.email) r.fail('email', ctx.t.invalidChoice(String(ctx.body.email ?? '')));
  const { channel } = r.bag.required(ctx.t.validationFailed, { channel: type });
  spendAttempt(ctx, throttleFor(ctx, 'otp-send', user.id));
  const record = isChannel(channel) ? issueOtp(ctx, user.id, channel, 'verify') : undefined;
  return ok(ctx.t.otpSent(channel), echoCode(ctx, record, {}));
}

function findVerifyCode(ctx: Ctx, user: User, channel: Channel, code: string): OtpRecord | undefined {
  const own = ctx.store.otp(user.id, channel, 'verify');
  const channels = ctx.fault('otp-channel-unbound') ? CHANNELS : [channel];
  // Fault verify-otp-accepts-other-users-code: the live codes of every account on the channel match.
  const others = ctx.fault('verify-otp-accepts-other-users-code') ? ctx.store.otpsFor('verify').filter((r) => r.channel === channel && r.userId !== user.id) : [];
  const candidates = [...channels.map((c) => ctx.store.otp(user.id, c, 'verify')), ...others];
  return matchCode(ctx, candidates, code, ctx.fault('accepts-wrong-otp'), [own]);
}

/** The flag of the channel verified: the code proves control of that address only. */
function markVerified(ctx: Ctx, user: User, channel: Channel): void {
  if (channel === 'email') {
    if (!ctx.fault('verify-email-not-recorded')) user.is_email_verified = true;
  } else if (ctx.fault('verify-phone-sets-email-flag')) user.is_email_verified = true;
  else user.is_phone_verified = true;
}

export async function verifyOtp(ctx: Ctx): Promise<Success> {
  const user = requireUser(ctx);
  const r = ctx.reader();
  const { channel, code } = r.bag.required(ctx.t.invalidOtpMessage, {
    channel: r.choice('type', CHANNELS, { required: true }) as Channel | undefined,
    code: r.string('otp', { required: true, max: 32 }),
  });
  const record = findVerifyCode(ctx, user, channel, code);
  if (!record) throw invalidOtp(ctx);
  await raceWindow(ctx, 'otp-verify-race');
  if (!ctx.fault('otp-reusable')) record.used = true;
  markVerified(ctx, user, channel);
  return ok(ctx.t.verified(channel), {});
}
