/**
 * Authentication of protected endpoints (seed §API Endpoints, "Auth Required ✓"), as simplejwt's
 * JWTAuthentication: `Authorization: Bearer <access token>`, exactly two space-separated values.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Ctx } from './context.js';
import { crash, unauthorized } from './errors.js';
import type { FaultName } from './faults.js';
import { decodeJwt } from './jwt.js';
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
 * Fault `trusts-jku`: the public key of the JWK Set the token's own jku (or x5u) header points
 * at, fetched as a naive verifier would. Undefined when the token names none or it cannot be read.
 */
async function headerKey(token: string): Promise<KeyObject | undefined> {
  try {
    const { header } = decodeJwt(token);
    const url = typeof header.jku === 'string' ? header.jku : header.x5u;
    if (typeof url !== 'string') return undefined;
    const set = (await (await fetch(url, { signal: AbortSignal.timeout(2000) })).json()) as { keys?: unknown[] };
    const jwk = set.keys?.[0];
    return jwk && typeof jwk === 'object' ? createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sets ctx.user from the access token, or answers 401. `anonymousFault` names the fault that
 * lets this one endpoint answer without any Authorization header.
 */
export async function authenticate(ctx: Ctx, anonymousFault?: FaultName): Promise<void> {
  const header = ctx.req.headers.authorization?.trim();
  if (!header) {
    if (anonymousFault && ctx.fault(anonymousFault)) return;
    throw unauthorized(ctx.t, ctx.t.noCredentials);
  }
  const types: TokenType[] = ctx.fault('accepts-refresh-as-access') ? ['access', 'refresh'] : ['access'];
  const token = bearerToken(ctx, header);
  ctx.user = verifyToken(ctx, token, {
    types,
    skipSignature: ctx.fault('ignores-token-signature'),
    allowAlgNone: ctx.fault('accepts-alg-none'),
    allowShortSignature: ctx.fault('accepts-truncated-token'),
    ignoreExpiry: ctx.fault('ignores-token-expiry'),
    allowAlgNoneAnyCase: ctx.fault('accepts-alg-none-any-case'),
    acceptEmptyKey: ctx.fault('accepts-empty-key'),
    kidFromFile: ctx.fault('kid-path-traversal'),
    headerKey: ctx.fault('trusts-jku') ? await headerKey(token) : undefined,
    ignoreNotBefore: ctx.fault('ignores-token-nbf'),
    invalid: () => unauthorized(ctx.t, ctx.t.tokenInvalid),
  }).user;
}
