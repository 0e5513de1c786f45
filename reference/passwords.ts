/**
 * Password hashing with scrypt (random salt, constant-time compare), stored as
 * `scrypt$N$salt$key` so that verification uses the cost the hash was made with. The test cost
 * (N=1024, r=8, p=1) is deliberately low: the suite registers hundreds of users per run against
 * this in-memory server, and the point here is "never store or return a password", not resistance
 * to offline cracking. (Measured: N=4096 made the embedded run 5.4 s, N=1024 4.5 s, on 2 cores.)
 * The production cost (N=16384, ~30 ms a hash on an idle core, several times that on a loaded
 * one) is what a real server spends: the timing fault uses it, so that skipping a hash shows.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Ctx } from './context.js';
import { MAX_PASSWORD_LENGTH } from './validation.js';

export type HashCost = 'test' | 'production';

const COST_N: Readonly<Record<HashCost, number>> = { test: 1024, production: 16384 };
const BLOCK_SIZE = 8;
const KEY_LENGTH = 32;
/** scrypt needs 128 × N × r bytes; Node's default cap (32 MiB) is too tight at the production cost. */
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N: n, r: BLOCK_SIZE, p: 1, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: HashCost = 'test'): Promise<string> {
  const salt = randomBytes(16);
  const n = COST_N[cost];
  const key = await derive(password, salt, n);
  return `scrypt$${n}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !Object.values(COST_N).includes(Number(n)) || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(n));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True when the password matches any of the hashes (more than one only under a fault). */
export async function matchesAny(password: string, hashes: readonly string[]): Promise<boolean> {
  for (const hash of hashes) if (await verifyPassword(password, hash)) return true;
  return false;
}

/** Spends the time of one verification, so an unknown user answers as slowly as a known one. */
export async function spendVerificationTime(password: string): Promise<void> {
  await derive(password, randomBytes(16), COST_N.test);
}

/**
 * Fault password-hash-unbounded: the hashing time of a password past the cap, per character. A
 * 1 MiB password takes 20 s: past the suite's default timeout, and far past the time limit of
 * any baseline a loaded machine gives.
 */
const UNBOUNDED_HASH_MS_PER_CHAR = 20_000 / (1024 * 1024);
const UNBOUNDED_HASH_MAX_MS = 20_000;

/**
 * Fault password-hash-unbounded: every password-named member of a body is hashed before any
 * length check, at a cost that grows with its length (as PBKDF2 over a naive HMAC did,
 * CVE-2013-1443): a 1 MiB password ties the request up for 20 s. The time is waited, not burnt,
 * so that the self-tests do not starve the machine; the answer is as slow either way.
 */
export async function hashUnboundedPasswords(ctx: Pick<Ctx, 'fault' | 'body'>): Promise<void> {
  if (!ctx.fault('password-hash-unbounded')) return;
  const longest = Math.max(0, ...Object.entries(ctx.body).map(([key, value]) => (/password/i.test(key) && typeof value === 'string' && value.length > MAX_PASSWORD_LENGTH ? value.length : 0)));
  if (longest > 0) await sleep(Math.min(UNBOUNDED_HASH_MAX_MS, longest * UNBOUNDED_HASH_MS_PER_CHAR));
}
