/**
 * One-time codes. Seed §OTP Verification: "OTP is 6 digits". Each code is bound to one user,
 * one channel and one purpose, valid 5 minutes by the server clock, and single use
 * (ASVS 5.0 6.5.1). Five wrong guesses burn it, so six digits cannot be brute-forced.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Ctx, ServerState } from './context.js';
import { CHANNELS, type Channel, type OtpRecord, type Purpose } from './store.js';

export const OTP_TTL_MS = 5 * 60 * 1000;
const MAX_WRONG_GUESSES = 5;

/** Fault otp-sequential: the last code each server issued, as a number. */
const lastCodes = new WeakMap<ServerState, number>();

/** Fault otp-shared-code: one code per window for every user, derived from the server clock. */
function sharedCode(ctx: Ctx, space: number): number {
  const window = Math.floor(ctx.now() / OTP_TTL_MS);
  return createHmac('sha256', ctx.state.keys.good).update(String(window)).digest().readUInt32BE(0) % space;
}

/**
 * A fresh code from a CSPRNG (ASVS 5.0 6.5.3). Faults: 4 digits; a counter (each code the
 * previous one plus one, whoever it is for); one code for everybody, from the clock.
 */
export function newCode(ctx: Ctx): string {
  const digits = ctx.fault('otp-four-digits') ? 4 : 6;
  const space = 10 ** digits;
  let value = randomInt(0, space);
  if (ctx.fault('otp-sequential')) {
    value = ((lastCodes.get(ctx.state) ?? value) + 1) % space;
    lastCodes.set(ctx.state, value);
  } else if (ctx.fault('otp-shared-code')) {
    value = sharedCode(ctx, space);
  }
  return String(value).padStart(digits, '0');
}

export function issueOtp(ctx: Ctx, userId: string, channel: Channel, purpose: Purpose): OtpRecord {
  const code = newCode(ctx);
  const expiresAt = ctx.fault('otp-never-expires') ? Infinity : ctx.now() + OTP_TTL_MS;
  const record: OtpRecord = { userId, channel, purpose, code, expiresAt, used: false, failures: 0 };
  ctx.store.saveOtp(record);
  ctx.state.secrets.noteOtp(code);
  return record;
}

export function isLive(record: OtpRecord | undefined, nowMs: number): record is OtpRecord {
  return record !== undefined && !record.used && nowMs < record.expiresAt;
}

export function codeMatches(record: OtpRecord, code: string): boolean {
  const a = Buffer.from(record.code);
  const b = Buffer.from(code);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Counts a wrong guess against a live code and burns the code at the limit. */
export function recordWrongGuess(record: OtpRecord | undefined): void {
  if (!record) return;
  record.failures += 1;
  if (record.failures >= MAX_WRONG_GUESSES) record.used = true;
}

/**
 * The live candidate the code matches (with `acceptAny`, any live one: a fault). A miss counts
 * as a wrong guess against the caller's own codes (fault otp-unlimited-guesses: it does not).
 */
export function matchCode(ctx: Ctx, candidates: ReadonlyArray<OtpRecord | undefined>, code: string, acceptAny: boolean, own: ReadonlyArray<OtpRecord | undefined>): OtpRecord | undefined {
  const nowMs = ctx.now();
  const live = candidates.filter((c) => isLive(c, nowMs));
  const hit = acceptAny ? live[0] : live.find((c) => codeMatches(c, code));
  if (!hit && !ctx.fault('otp-unlimited-guesses')) own.filter((c) => isLive(c, nowMs)).forEach(recordWrongGuess);
  return hit;
}

/** Seed §8: the identifier "Can be phone or email"; a code goes to the channel it names. */
export function channelOf(identifier: string): Channel {
  return identifier.includes('@') ? 'email' : 'phone';
}

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}
