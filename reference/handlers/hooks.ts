/**
 * Test hooks under /__conformance__/ (only with `hooks: true`): the suite's OTP source reads
 * codes here instead of an inbox, and the clock can be moved to test expiry. Plain JSON, no
 * envelope: these are not part of the API under test.
 */
import { readBody } from '../body.js';
import type { Ctx } from '../context.js';
import { ApiError } from '../errors.js';
import { jsonOut, type Outgoing } from '../http.js';
import { channelOf, isChannel } from '../otp.js';
import { parseNumber } from '../validation.js';

export const HOOK_PREFIX = '/__conformance__/';
/** About 30 years either way: keeps every date the clock produces representable. */
const MAX_ADVANCE_S = 1e9;

function raw(status: number, value: unknown): Outgoing {
  return jsonOut(status, value, {}, false);
}

/** GET otp?identifier=&channel=email|phone&purpose=verify|reset → the latest code issued, used or not. */
export function otpHook(ctx: Ctx): Outgoing {
  const identifier = ctx.query.get('identifier') ?? '';
  const channel = ctx.query.get('channel') ?? channelOf(identifier);
  const purpose = ctx.query.get('purpose') ?? 'verify';
  if (!isChannel(channel) || (purpose !== 'verify' && purpose !== 'reset')) {
    return raw(400, { error: 'channel must be email or phone, purpose verify or reset' });
  }
  const user = ctx.store.findByIdentifier(identifier);
  const record = user && ctx.store.otp(user.id, channel, purpose);
  return record ? raw(200, { otp: record.code }) : raw(404, { error: 'no code' });
}

/** POST clock {"advance_seconds": N} → moves the server clock forward (or back) by N seconds. */
export async function clockHook(ctx: Ctx): Promise<Outgoing> {
  try {
    await readBody(ctx, 'json');
  } catch (error) {
    if (error instanceof ApiError) return raw(error.status, { error: error.message });
    throw error;
  }
  const seconds = parseNumber(ctx.body.advance_seconds);
  if (seconds === undefined || Math.abs(seconds) > MAX_ADVANCE_S) return raw(400, { error: 'advance_seconds must be a number of seconds' });
  ctx.state.clock.advance(seconds);
  return raw(200, { now: ctx.state.clock.iso() });
}
