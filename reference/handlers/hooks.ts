/**
 * Test hooks under /__conformance__/ (only with `hooks: true`): the suite's OTP source reads
 * codes here instead of an inbox, the clock can be moved to test expiry, and users can be made
 * for dialects without registration. Plain JSON, no envelope: these are not part of the API
 * under test.
 */
import { readBody } from '../body.js';
import type { Ctx } from '../context.js';
import { ApiError } from '../errors.js';
import { jsonOut, type Outgoing } from '../http.js';
import { channelOf, isChannel } from '../otp.js';
import { hashPassword } from '../passwords.js';
import { parseNumber } from '../validation.js';
import { hashCost, plainUser } from './common.js';
import { resetMail } from './password.js';

export const HOOK_PREFIX = '/__conformance__/';
/** About 30 years either way: keeps every date the clock produces representable. */
const MAX_ADVANCE_S = 1e9;

function raw(status: number, value: unknown): Outgoing {
  return jsonOut(status, value, {}, false);
}

/**
 * GET otp?identifier=&channel=email|phone&purpose=verify|reset → the latest code issued, used or
 * not; with quirk reset-link-token, a reset's mail ({to, kind, subject, text} with the link).
 */
export function otpHook(ctx: Ctx): Outgoing {
  const identifier = ctx.query.get('identifier') ?? '';
  const channel = ctx.query.get('channel') ?? channelOf(identifier);
  const purpose = ctx.query.get('purpose') ?? 'verify';
  if (!isChannel(channel) || (purpose !== 'verify' && purpose !== 'reset')) {
    return raw(400, { error: 'channel must be email or phone, purpose verify or reset' });
  }
  const user = ctx.store.findByIdentifier(identifier);
  const record = user && ctx.store.otp(user.id, channel, purpose);
  if (!record) return raw(404, { error: 'no code' });
  // Quirk reset-link-token: a reset sends a mail with a link, not a code; the hook answers the mail.
  return raw(200, purpose === 'reset' && ctx.quirk('reset-link-token') ? resetMail(ctx, user, record) : { otp: record.code });
}

/** Reads a hook's JSON body into ctx.body; a body that cannot be read is the hook's answer. */
async function readHookBody(ctx: Ctx): Promise<Outgoing | null> {
  try {
    await readBody(ctx, 'json');
    return null;
  } catch (error) {
    if (error instanceof ApiError) return raw(error.status, { error: error.message });
    throw error;
  }
}

/** POST clock {"advance_seconds": N} → moves the server clock forward (or back) by N seconds. */
export async function clockHook(ctx: Ctx): Promise<Outgoing> {
  const unreadable = await readHookBody(ctx);
  if (unreadable) return unreadable;
  const seconds = parseNumber(ctx.body.advance_seconds);
  if (seconds === undefined || Math.abs(seconds) > MAX_ADVANCE_S) return raw(400, { error: 'advance_seconds must be a number of seconds' });
  ctx.state.clock.advance(seconds);
  return raw(200, { now: ctx.state.clock.iso() });
}

const PROVISIONED_FIELDS = ['username', 'email', 'password', 'first_name', 'last_name', 'full_name', 'phone'] as const;

/**
 * POST users {"username", "email", "password", "first_name", "last_name", "full_name", "phone"}
 * → 201 {"id"}: makes a user the way an administrator would, for dialects without registration
 * (seed 001). The suite reaches it through `--provision http:/__conformance__/users`.
 */
export async function usersHook(ctx: Ctx): Promise<Outgoing> {
  const unreadable = await readHookBody(ctx);
  if (unreadable) return unreadable;
  const given: Partial<Record<(typeof PROVISIONED_FIELDS)[number], string>> = {};
  for (const key of PROVISIONED_FIELDS) {
    const value = ctx.body[key];
    if (value !== undefined && value !== null && typeof value !== 'string') return raw(400, { error: `${key} must be a string` });
    if (typeof value === 'string') given[key] = value;
  }
  if (!given.password || (!given.username && !given.email)) return raw(400, { error: 'a password and a username or an email are required' });
  const hash = await hashPassword(given.password, hashCost(ctx));
  // Checked after the only await, so that the check and the insert are atomic.
  if ((given.username && ctx.store.findByUsername(given.username)) || (given.email && ctx.store.findByEmail(given.email))) return raw(409, { error: 'the user exists' });
  const names = [given.first_name, given.last_name].filter(Boolean).join(' ');
  const user = plainUser(ctx, {
    phone: given.phone ?? '',
    email: given.email ?? '',
    fullName: given.full_name ?? names,
    hashes: [hash],
    username: given.username,
    firstName: given.first_name ?? '',
    lastName: given.last_name ?? '',
  });
  ctx.store.saveUser(user);
  return raw(201, { id: user.id });
}
