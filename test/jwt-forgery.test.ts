/**
 * The JWT forgeries of specs/jwt.spec.ts against the reference codec: each one is refused by the
 * strict verifier and accepted by the verifier with the matching fault's option, and the offline
 * key search finds a public key and only that.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { hmacKeyIndex, resignedCopy, rsSignedCopy, unsignedCopy } from '../helpers/wire/tokens.js';
import { signHs256, verifyJwt, type VerifyOptions } from '../reference/jwt.js';

const key = randomBytes(32);
const nowMs = Date.now();
const now = Math.floor(nowMs / 1000);
const token = signHs256({ token_type: 'access', user_id: '1', exp: now + 300, nbf: now, iat: now }, key);
const strict: VerifyOptions = { key, nowMs };

const forgeries: readonly { name: string; forged: string; relaxed: Partial<VerifyOptions> }[] = [
  { name: 'alg "nOnE", unsigned', forged: unsignedCopy(token, 'nOnE'), relaxed: { allowAlgNoneAnyCase: true } },
  { name: 'HS256 with an empty key', forged: resignedCopy(token, { typ: 'JWT' }, Buffer.alloc(0)), relaxed: { acceptEmptyKey: true } },
  { name: 'kid ../../dev/null with an empty key', forged: resignedCopy(token, { kid: '../../../../../../../../dev/null' }, Buffer.alloc(0)), relaxed: { kidFromFile: true } },
];

describe('forged JWTs', () => {
  test.for(forgeries)('$name: refused by the strict verifier, accepted under its fault', ({ forged, relaxed }) => {
    expect(() => verifyJwt(forged, strict)).toThrow();
    expect(verifyJwt(forged, { ...strict, ...relaxed }).user_id).toBe('1');
  });

  test('plain alg "none" is not the case-variant fault', () => {
    expect(() => verifyJwt(unsignedCopy(token), { ...strict, allowAlgNoneAnyCase: true })).toThrow();
  });

  test('an RS256 token is accepted only with the header key a trusting verifier fetched', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = rsSignedCopy(token, { jku: 'http://127.0.0.1:1/jwks.json' }, privateKey);
    expect(() => verifyJwt(forged, strict)).toThrow();
    expect(verifyJwt(forged, { ...strict, headerKey: publicKey }).user_id).toBe('1');
  });

  test('a token before its nbf is refused, unless nbf is ignored', () => {
    const early = { ...strict, nowMs: nowMs - 3_600_000 };
    expect(() => verifyJwt(token, early)).toThrow('not yet valid');
    expect(verifyJwt(token, { ...early, ignoreNotBefore: true }).user_id).toBe('1');
  });
});

describe('the offline HMAC key search', () => {
  const words = ['', 'secret', 'your-256-bit-secret', 'changeme'];

  test('finds the public key a token is signed with, by its index', async () => {
    expect(await hmacKeyIndex(signHs256({ a: 1 }, Buffer.from('your-256-bit-secret')), 'sha256', words)).toBe(2);
    expect(await hmacKeyIndex(signHs256({ a: 1 }, Buffer.alloc(0)), 'sha256', words)).toBe(0);
  });

  test('finds nothing for a random key', async () => {
    expect(await hmacKeyIndex(token, 'sha256', words)).toBe(-1);
  });
});
