/**
 * simplejwt-style tokens: HS256 with claims token_type, exp, nbf, iat, jti and user_id (nbf is
 * the issue time: RFC 7519 lets a token carry it, and then it must be honoured). Access
 * tokens live 5 minutes and refresh tokens 1 day (simplejwt's defaults). A private claim
 * `iat_ms` lets a password change refuse older tokens while a token issued right after it,
 * in the same second, still works. The expiry is judged on the server clock.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import type { Ctx } from './context.js';
import type { ApiError } from './errors.js';
import { TokenError, verifyJwt, signHs256, signRs256, type Claims } from './jwt.js';
import type { User } from './store.js';

export const TOKEN_TYPES = ['access', 'refresh'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

const DAY_S = 24 * 60 * 60;
const LIFETIME_S: Record<TokenType, number> = { access: 5 * 60, refresh: DAY_S };

export interface TokenPair {
  readonly access: string;
  readonly refresh: string;
}

export interface TokenClaims {
  readonly type: TokenType;
  readonly userId: string;
  readonly jti: string;
  readonly issuedAtMs: number;
}

/** How a caller accepts tokens; the defaults are strict, faults relax one aspect each. */
export interface TokenPolicy {
  readonly types: readonly TokenType[];
  readonly skipSignature?: boolean;
  readonly allowAlgNone?: boolean;
  readonly allowShortSignature?: boolean;
  readonly ignoreExpiry?: boolean;
  readonly allowAlgNoneAnyCase?: boolean;
  readonly acceptEmptyKey?: boolean;
  readonly kidFromFile?: boolean;
  readonly headerKey?: KeyObject;
  readonly ignoreNotBefore?: boolean;
  readonly invalid: () => ApiError;
}

export function issueToken(ctx: Ctx, type: TokenType, user: User, key: Buffer = ctx.state.keys.good): string {
  const nowMs = ctx.now();
  const iat = Math.floor(nowMs / 1000);
  const lifetime = type === 'access' && ctx.fault('long-lived-access-token') ? DAY_S : LIFETIME_S[type];
  // Fault `iat-not-numeric`: iat as an ISO date string, not a NumericDate (the server reads iat_ms).
  const issuedAt = ctx.fault('iat-not-numeric') ? new Date(iat * 1000).toISOString() : iat;
  // Fault `refresh-never-expires`: refresh tokens carry no exp at all.
  const exp = type === 'refresh' && ctx.fault('refresh-never-expires') ? undefined : iat + lifetime;
  const claims = { token_type: type, exp, nbf: iat, iat: issuedAt, jti: randomBytes(16).toString('hex'), user_id: user.id, iat_ms: nowMs };
  const { rsa } = ctx.state.keys;
  // Quirk rs256-tokens: signed with the RSA key; the *-unusable faults still sign HS256 with the bad key.
  return ctx.state.secrets.noteToken(rsa && key === ctx.state.keys.good ? signRs256(claims, rsa.privateKey, rsa.kid) : signHs256(claims, key));
}

export function issuePair(ctx: Ctx, user: User, accessKey?: Buffer): TokenPair {
  return { access: issueToken(ctx, 'access', user, accessKey), refresh: issueToken(ctx, 'refresh', user) };
}

function readClaims(payload: Claims): TokenClaims | undefined {
  const { token_type: type, user_id: userId, jti, iat, iat_ms: iatMs } = payload;
  if (!TOKEN_TYPES.includes(type as TokenType) || typeof jti !== 'string') return undefined;
  if (typeof userId !== 'string' && typeof userId !== 'number') return undefined;
  const issuedAtMs = typeof iatMs === 'number' ? iatMs : typeof iat === 'number' ? iat * 1000 : undefined;
  return issuedAtMs === undefined ? undefined : { type: type as TokenType, userId: String(userId), jti, issuedAtMs };
}

/** The user a token speaks for: it must still exist and the token must postdate any password change. */
function tokenUser(ctx: Ctx, claims: TokenClaims): User | undefined {
  const user = ctx.store.user(claims.userId);
  return user && claims.issuedAtMs >= user.tokens_valid_after[claims.type] ? user : undefined;
}

export function verifyToken(ctx: Ctx, token: string, policy: TokenPolicy): { user: User; claims: TokenClaims } {
  let payload: Claims;
  try {
    const publicKey = ctx.state.keys.rsa?.publicKey;
    payload = verifyJwt(token, { ...policy, key: ctx.state.keys.good, publicKey, publicKeyAsHmacSecret: ctx.fault('alg-confusion'), nowMs: ctx.now(), allowNoExpiry: ctx.fault('refresh-never-expires') });
  } catch (error) {
    if (error instanceof TokenError) throw policy.invalid();
    throw error;
  }
  const claims = readClaims(payload);
  const user = claims && policy.types.includes(claims.type) ? tokenUser(ctx, claims) : undefined;
  if (!claims || !user) throw policy.invalid();
  return { user, claims };
}
