/**
 * Quirk session-extras: credentials in places the contract does not name, as real stacks hand
 * them out. Parse Server answers a login with `sessionToken: "r:" + 32 hex`; API gateways echo an
 * API key; cookie sessions set `sid`. A client must tolerate them, and no report may show them:
 * each is recorded as a secret for the self-test that greps the reports.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Ctx } from './context.js';
import type { Success } from './envelope.js';
import { isPlainObject } from './validation.js';

/** One API key per server, like an application's key: derived from the server's signing key, so servers differ. */
function apiKeyOf(ctx: Ctx): string {
  return ctx.state.secrets.noteCredential(`ak_live_${createHmac('sha256', ctx.state.keys.good).update('api-key').digest('hex').slice(0, 40)}`);
}

/** The answer with a fresh session token and the server's API key beside its data, and a session cookie. */
export function withSessionExtras(ctx: Ctx, success: Success): Success {
  if (!ctx.quirk('session-extras')) return success;
  const { secrets } = ctx.state;
  const sessionToken = secrets.noteCredential(`r:${randomBytes(16).toString('hex')}`);
  const sid = secrets.noteCredential(randomBytes(24).toString('base64url'));
  const apiKey = apiKeyOf(ctx);
  const data = isPlainObject(success.data) ? { ...success.data, sessionToken, apiKey, api_key: apiKey } : success.data;
  const headers = { ...success.headers, 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax`, 'x-session-token': sessionToken };
  return { ...success, data, headers };
}
