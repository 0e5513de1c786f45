/**
 * A minimal HS256 JWT (RFC 7519) codec. Only HS256 is ever accepted: the algorithm is fixed by
 * the server, never chosen by the token (RFC 8725 §3.1). Fault switches relax it through the
 * options, never here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isPlainObject } from './validation.js';

export class TokenError extends Error {
  override readonly name = 'TokenError';
}

export type Claims = Record<string, unknown>;

interface Decoded {
  readonly header: Claims;
  readonly payload: Claims;
  readonly signingInput: string;
  readonly signature: string;
}

export interface VerifyOptions {
  readonly key: Buffer;
  readonly nowMs: number;
  /** Fault `*-ignores-*-signature`: decode and check claims but not the MAC. */
  readonly skipSignature?: boolean;
  /** Fault `accepts-alg-none`: an unsigned token passes. */
  readonly allowAlgNone?: boolean;
  /** Fault `accepts-truncated-token`: only as much of the MAC as was sent is compared. */
  readonly allowShortSignature?: boolean;
  /** Fault `ignores-token-expiry`: exp is not looked at. */
  readonly ignoreExpiry?: boolean;
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function mac(signingInput: string, key: Buffer): string {
  return createHmac('sha256', key).update(signingInput).digest('base64url');
}

function decodeSegment(segment: string): Claims {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('Token is malformed');
  }
  if (!isPlainObject(value)) throw new TokenError('Token is malformed');
  return value;
}

export function signHs256(payload: Claims, key: Buffer): string {
  const signingInput = `${encodeSegment({ alg: 'HS256', typ: 'JWT' })}.${encodeSegment(payload)}`;
  return `${signingInput}.${mac(signingInput, key)}`;
}

/** Splits and decodes a compact JWS; throws TokenError for anything that is not one. */
export function decodeJwt(token: string): Decoded {
  const segments = token.split('.');
  if (segments.length !== 3 || !segments.every((s) => SEGMENT.test(s))) throw new TokenError('Token is malformed');
  const [header, payload, signature] = segments as [string, string, string];
  return { header: decodeSegment(header), payload: decodeSegment(payload), signingInput: `${header}.${payload}`, signature };
}

function checkSignature(token: Decoded, options: VerifyOptions): void {
  if (token.header.alg === 'none' && options.allowAlgNone) return;
  if (token.header.alg !== 'HS256') throw new TokenError('Token algorithm is not allowed');
  if (options.skipSignature) return;
  // Compared as base64url text, not decoded bytes: the last character of a 32-byte MAC carries
  // padding bits, so a tampered last character could decode to the same bytes.
  const full = Buffer.from(mac(token.signingInput, options.key));
  const given = Buffer.from(token.signature);
  const expected = options.allowShortSignature ? full.subarray(0, given.length) : full;
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('Token signature is invalid');
}

function checkExpiry(payload: Claims, nowMs: number): void {
  const exp = payload.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenError('Token has no expiry');
  if (exp * 1000 <= nowMs) throw new TokenError('Token is expired');
}

export function verifyJwt(token: string, options: VerifyOptions): Claims {
  const decoded = decodeJwt(token);
  checkSignature(decoded, options);
  if (!options.ignoreExpiry) checkExpiry(decoded.payload, options.nowMs);
  return decoded.payload;
}

export function isJwt(token: string): boolean {
  try {
    decodeJwt(token);
    return true;
  } catch {
    return false;
  }
}
