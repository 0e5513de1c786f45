/**
 * Quirk `refresh-cookie`: the refresh token travels in an HttpOnly cookie, as cookie setups of
 * simplejwt and of Node stacks keep it out of the app's reach. Register and login answer the
 * access token only and set `refresh_token`; refresh reads it from the Cookie header (the body
 * is not read for it) and sets the rotated one; a logout at auth/logout/ (POST, with the access
 * token) blacklists the cookie's refresh token and clears the cookie.
 */
import type { Ctx } from '../context.js';
import { ok, type Success } from '../envelope.js';
import { crash, unauthorized, ApiError } from '../errors.js';
import type { TokenPair } from '../tokens.js';
import { verifyToken } from '../tokens.js';

export const REFRESH_COOKIE = 'refresh_token';

/** The refresh cookie's value in the request, '' when it has none (refused like any invalid token). */
export function refreshCookieOf(ctx: Ctx): string {
  for (const pair of (ctx.req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === REFRESH_COOKIE) return decodeURIComponent(pair.slice(at + 1).trim());
  }
  return '';
}

/** The Set-Cookie of a refresh token: HttpOnly, SameSite, for the whole API. */
export function refreshCookie(ctx: Ctx, token: string): Record<string, string> {
  return { 'set-cookie': `${REFRESH_COOKIE}=${token}; Path=${ctx.state.basePath}; HttpOnly; SameSite=Lax; Max-Age=86400` };
}

/** Under the quirk: the tokens of an auth answer without the refresh token, which goes in the cookie. */
export function cookieTokens(ctx: Ctx, pair: TokenPair): { tokens: { access: string } | TokenPair; headers?: Record<string, string> } {
  if (!ctx.quirk('refresh-cookie')) return { tokens: pair };
  return { tokens: { access: pair.access }, headers: refreshCookie(ctx, pair.refresh) };
}

/** The logout of cookie setups: ends the cookie's refresh token, if it is the caller's. */
export async function cookieLogout(ctx: Ctx): Promise<Success> {
  const invalid = (): ApiError => unauthorized(ctx.t, ctx.t.refreshInvalid);
  const { user, claims } = verifyToken(ctx, refreshCookieOf(ctx), { types: ['refresh'], invalid });
  if (ctx.store.revokedJtis.has(claims.jti)) throw invalid();
  // Without the fault logout-without-token there is always a caller: a refresh token of someone else's is not theirs to end.
  if (ctx.user && ctx.user.id !== user.id) throw invalid();
  if (ctx.fault('logout-broken')) crash('logout-broken');
  if (!ctx.fault('logout-keeps-refresh')) ctx.store.revokedJtis.add(claims.jti);
  return Promise.resolve(ok('Logged out', {}, 200, { 'set-cookie': `${REFRESH_COOKIE}=; Path=${ctx.state.basePath}; HttpOnly; SameSite=Lax; Max-Age=0` }));
}
