/** Forged variants of a real JWT, for the checks that a server refuses them. */
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

/** The same claims, unsigned: header `{"alg":"none"}` and an empty signature (RFC 8725 §3.1). */
export function unsignedCopy(jwt: string): string {
  const [, payload] = parts(jwt);
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return registerSecret(`${header}.${payload}.`);
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
