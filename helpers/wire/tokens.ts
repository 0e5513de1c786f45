/** Forged variants of a real JWT, for the checks that a server refuses them. */
import { createHmac, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import { registerSecret } from './mask.js';

function parts(jwt: string): [string, string, string] {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  return [header, payload, signature];
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same token with one signature character changed. A middle character, because the last
 * one of a base64url signature carries padding bits and changing it may decode to the same bytes.
 */
export function tamperSignature(jwt: string): string {
  const [header, payload, signature] = parts(jwt);
  const i = Math.floor(signature.length / 2);
  const old = signature[i] ?? 'A';
  const replacement = B64URL[(B64URL.indexOf(old) + 17) % 64] as string;
  return registerSecret(`${header}.${payload}.${signature.slice(0, i)}${replacement}${signature.slice(i + 1)}`);
}

function segment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The same claims, unsigned: header `{"alg":"none"}` (or another spelling) and an empty signature (RFC 8725 §3.1). */
export function unsignedCopy(jwt: string, alg = 'none'): string {
  const [, payload] = parts(jwt);
  return registerSecret(`${segment({ alg, typ: 'JWT' })}.${payload}.`);
}

function hs256(signingInput: string, key: Buffer | string): string {
  return createHmac('sha256', key).update(signingInput).digest('base64url');
}

/** The same claims under a header of the forger's choosing, HS256-signed with a key of its choosing. */
export function resignedCopy(jwt: string, header: Record<string, unknown>, key: Buffer | string): string {
  const signingInput = `${segment({ ...header, alg: 'HS256' })}.${parts(jwt)[1]}`;
  return registerSecret(`${signingInput}.${hs256(signingInput, key)}`);
}

/** The same claims under a header of the forger's choosing, RS256-signed with the forger's private key. */
export function rsSignedCopy(jwt: string, header: Record<string, unknown>, key: KeyObject): string {
  const signingInput = `${segment({ ...header, alg: 'RS256' })}.${parts(jwt)[1]}`;
  return registerSecret(`${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`);
}

/** The JOSE header of a JWT, without verifying it; null when it is not a JWT. */
export function headerOf(jwt: string): Record<string, unknown> | null {
  const segments = jwt.split('.');
  if (segments.length !== 3) return null;
  try {
    const header: unknown = JSON.parse(Buffer.from(segments[0] as string, 'base64url').toString('utf8'));
    return header && typeof header === 'object' && !Array.isArray(header) ? (header as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const HMAC_HASHES: Readonly<Record<string, string>> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** The hash of an HMAC JWS algorithm (HS256, HS384, HS512), or undefined for any other. */
export function hmacHash(alg: unknown): string | undefined {
  return typeof alg === 'string' ? HMAC_HASHES[alg] : undefined;
}

/** Candidates tried between two yields to the event loop: other checks' requests share the thread. */
const KEYS_PER_TURN = 256;

/**
 * The index of the first candidate that is the HMAC key of an HMAC-signed JWT, or -1: the MAC is
 * recomputed offline, nothing is sent. Compared as decoded bytes, the way a verifier does.
 */
export async function hmacKeyIndex(jwt: string, hash: string, candidates: readonly string[]): Promise<number> {
  const [header, payload, signature] = parts(jwt);
  const signingInput = Buffer.from(`${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  for (let i = 0; i < candidates.length; i++) {
    if (i > 0 && i % KEYS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    const mac = createHmac(hash, candidates[i] as string).update(signingInput).digest();
    if (mac.length === given.length && timingSafeEqual(mac, given)) return i;
  }
  return -1;
}

/** The claims of a JWT, without verifying it; null when it is not a JWT. */
export function claimsOf(jwt: string): Record<string, unknown> | null {
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts(jwt)[1], 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
