/**
 * A minimal HS256 JWT (RFC 7519) codec. Only HS256 is ever accepted: the algorithm is fixed by
 * the server, never chosen by the token (RFC 8725 §3.1). Fault switches relax it through the
 * options, never here.
 */
import { createHmac, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
  /** Fault `accepts-alg-none-any-case`: a blocklist refuses alg "none" but lets "None", "NONE"... through unsigned. */
  readonly allowAlgNoneAnyCase?: boolean;
  /** Fault `accepts-empty-key`: a MAC made with an empty key also passes. */
  readonly acceptEmptyKey?: boolean;
  /** Fault `kid-path-traversal`: the key is read from the file the kid header names, under a key directory. */
  readonly kidFromFile?: boolean;
  /** Fault `trusts-jku`: the public key the token's jku header pointed at (fetched by the caller); RS256 tokens verify with it. */
  readonly headerKey?: KeyObject;
  /** Quirk rs256-tokens: the API's own public key; RS256 is then the only algorithm it takes. */
  readonly publicKey?: KeyObject;
  /** Fault `alg-confusion`: an HS256 token whose MAC key is the public key's PEM text passes too. */
  readonly publicKeyAsHmacSecret?: boolean;
  /** Fault `ignores-token-nbf`: nbf is not looked at. */
  readonly ignoreNotBefore?: boolean;
  /** Fault `refresh-never-expires`: a token without exp passes. */
  readonly allowNoExpiry?: boolean;
}

/** Where the `kid-path-traversal` fault looks keys up: a kid is a file name under it. */
const KID_DIR = '/var/lib/reference-keys';

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

/** Quirk rs256-tokens: the same claims, RS256-signed with the API's private key, its kid in the header. */
export function signRs256(payload: Claims, privateKey: KeyObject, kid: string): string {
  const signingInput = `${encodeSegment({ alg: 'RS256', typ: 'JWT', kid })}.${encodeSegment(payload)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
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

function sameText(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/** The key a kid names as a file (fault `kid-path-traversal`): "../../dev/null" reads as an empty key. */
function kidKey(kid: unknown): Buffer {
  if (typeof kid !== 'string') throw new TokenError('Token names no key');
  try {
    return readFileSync(resolve(KID_DIR, kid));
  } catch {
    throw new TokenError('Token names an unknown key');
  }
}

function checkSignature(token: Decoded, options: VerifyOptions): void {
  const { alg } = token.header;
  if (alg === 'none' && options.allowAlgNone) return;
  if (typeof alg === 'string' && alg !== 'none' && alg.toLowerCase() === 'none' && options.allowAlgNoneAnyCase) return;
  if (alg === 'RS256' && options.headerKey) {
    if (!verify('sha256', Buffer.from(token.signingInput), options.headerKey, Buffer.from(token.signature, 'base64url'))) throw new TokenError('Token signature is invalid');
    return;
  }
  if (options.publicKey) {
    if (options.skipSignature && alg === 'RS256') return;
    if (alg === 'RS256' && verify('sha256', Buffer.from(token.signingInput), options.publicKey, Buffer.from(token.signature, 'base64url'))) return;
    const pem = String(options.publicKey.export({ type: 'spki', format: 'pem' }));
    if (alg === 'HS256' && options.publicKeyAsHmacSecret && sameText(token.signature, Buffer.from(mac(token.signingInput, Buffer.from(pem))))) return;
    throw new TokenError(alg === 'RS256' ? 'Token signature is invalid' : 'Token algorithm is not allowed');
  }
  if (alg !== 'HS256') throw new TokenError('Token algorithm is not allowed');
  if (options.skipSignature) return;
  if (options.acceptEmptyKey && sameText(token.signature, Buffer.from(mac(token.signingInput, Buffer.alloc(0))))) return;
  const key = options.kidFromFile && token.header.kid !== undefined ? kidKey(token.header.kid) : options.key;
  // Compared as base64url text, not decoded bytes: the last character of a 32-byte MAC carries
  // padding bits, so a tampered last character could decode to the same bytes.
  const full = Buffer.from(mac(token.signingInput, key));
  const expected = options.allowShortSignature ? full.subarray(0, token.signature.length) : full;
  if (!sameText(token.signature, expected)) throw new TokenError('Token signature is invalid');
}

function checkExpiry(payload: Claims, nowMs: number, allowNoExpiry: boolean): void {
  const exp = payload.exp;
  if (exp === undefined && allowNoExpiry) return;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenError('Token has no expiry');
  if (exp * 1000 <= nowMs) throw new TokenError('Token is expired');
}

/** RFC 7519 §4.1.5: a token MUST NOT be accepted before its nbf. */
function checkNotBefore(payload: Claims, nowMs: number): void {
  const nbf = payload.nbf;
  if (nbf === undefined) return;
  if (typeof nbf !== 'number' || !Number.isFinite(nbf)) throw new TokenError('Token is malformed');
  if (nowMs < nbf * 1000) throw new TokenError('Token is not yet valid');
}

export function verifyJwt(token: string, options: VerifyOptions): Claims {
  const decoded = decodeJwt(token);
  checkSignature(decoded, options);
  if (!options.ignoreExpiry) checkExpiry(decoded.payload, options.nowMs, options.allowNoExpiry ?? false);
  if (!options.ignoreNotBefore) checkNotBefore(decoded.payload, options.nowMs);
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
