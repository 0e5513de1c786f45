/**
 * Authentication of protected endpoints (seed §API Endpoints, "Auth Required ✓"), as simplejwt's
 * JWTAuthentication: `Authorization: Bearer <access token>`, exactly two space-separated values.
 */
import type { Ctx } from './context.js';
import { crash, unauthorized } from './errors.js';
import type { FaultName } from './faults.js';
import { verifyToken, type TokenType } from './tokens.js';

function bearerToken(ctx: Ctx, header: string): string {
  const parts = header.split(' ');
  // Another scheme is not ours to judge: like simplejwt, the request is simply unauthenticated.
  if (parts[0] !== 'Bearer') throw unauthorized(ctx.t, ctx.t.noCredentials);
  if (parts.length !== 2 || !parts[1]) {
    if (ctx.fault('malformed-auth-header-500')) crash('malformed-auth-header-500');
    throw unauthorized(ctx.t, ctx.t.badAuthHeader);
  }
  return parts[1];
}

/**
 * Sets ctx.user from the access token, or answers 401. `anonymousFault` names the fault that
 * lets this one endpoint answer without any Authorization header.
 */
export function authenticate(ctx: Ctx, anonymousFault?: FaultName): void {
  const header = ctx.req.headers.authorization?.trim();
  if (!header) {
    if (anonymousFault && ctx.fault(anonymousFault)) return;
    throw unauthorized(ctx.t, ctx.t.noCredentials);
  }
  const types: TokenType[] = ctx.fault('accepts-refresh-as-access') ? ['access', 'refresh'] : ['access'];
  ctx.user = verifyToken(ctx, bearerToken(ctx, header), {
    types,
    skipSignature: ctx.fault('ignores-token-signature'),
    allowAlgNone: ctx.fault('accepts-alg-none'),
    allowShortSignature: ctx.fault('accepts-truncated-token'),
    ignoreExpiry: ctx.fault('ignores-token-expiry'),
    invalid: () => unauthorized(ctx.t, ctx.t.tokenInvalid),
  }).user;
}
