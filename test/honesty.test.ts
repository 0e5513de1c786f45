/**
 * Honest verdicts under any profile. Profiles reduced from the shipped ones (fields, operations, genders, user members removed), run
 * against the conforming reference server:
 * - nothing fails, nothing crashes (a harness error is a bug of the suite, not a finding);
 * - every passed check sent its subject: each request field its needs name went on the wire,
 *   as the profile maps it, and a field it is about the absence of did not;
 * - every skip says its kind, and a check that does not apply says why.
 * With a fault that breaks a field the reduced profile still maps, the run still fails.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { FaultName } from '../reference/faults.js';
import { startReferenceServer, type DialectName } from '../reference/server.js';
import { expectHonest, HOOK_OTP_SOURCE, runCli } from './harness.js';

const HOOKS = ['--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock'];

interface Case {
  readonly name: string;
  readonly dialect: DialectName;
  /** A shipped profile's name, or the profile file's content (a reduction of a shipped one). */
  readonly profile: string | Record<string, unknown>;
  readonly flags?: readonly string[];
}

function reduced(name: string, base: string, changes: Record<string, unknown>): Record<string, unknown> {
  return { extends: base, name, description: `${base} with fewer fields`, ...changes };
}

const CASES: readonly Case[] = [
  {
    // The issue's own example: no role, gender or image in the update, no genders at all.
    name: 'tasklink without role, gender and image updates',
    dialect: 'tasklink',
    profile: reduced('reduced-update', 'tasklink', { request: { updateProfile: { role: null, gender: null, image: null } }, values: { genders: [] } }),
  },
  {
    name: 'tasklink with a user that shows less',
    dialect: 'tasklink',
    profile: reduced('reduced-user', 'tasklink', {
      user: { fullName: null, phoneVerified: null, rating: null, image: null, role: null },
      request: { updateProfile: { bio: null, dateOfBirth: null } },
      values: { roles: ['TASKER'] },
    }),
  },
  {
    name: 'tasklink without location, wallet or reset',
    dialect: 'tasklink',
    profile: reduced('reduced-ops', 'tasklink', { operations: { wallet: null, updateLocation: null, resetRequest: null, resetConfirm: null } }),
  },
];

function profileArg(c: Case, dir: string): string {
  if (typeof c.profile === 'string') return c.profile;
  const path = join(dir, `${String(c.profile.name)}.json`);
  writeFileSync(path, JSON.stringify(c.profile));
  return path;
}

async function run(c: Case, faults: readonly FaultName[] = [], only: readonly string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'acc-honesty-'));
  const server = await startReferenceServer({ dialect: c.dialect, hooks: true, faults: [...faults] });
  try {
    const args = ['--base-url', server.baseUrl, '--profile', profileArg(c, dir), ...HOOKS, ...(c.flags ?? [])];
    return await runCli(only.length ? [...args, '--only', only.join(',')] : args);
  } finally {
    await server.close();
  }
}

// The shipped profiles get the same assertions in their clean runs (conformance, dialects and
// Django self-tests); these are the reductions. One run at a time: they share two cores.
describe.sequential('honest verdicts: what each check probed, under reduced profiles', () => {
  test.for(CASES)('$name: no failure, no harness error, every pass sent its subject', async (c) => {
    const cli = await run(c);
    const summary = cli.summary();
    const wrong = summary.results.filter((r) => r.status === 'failed' || r.status === 'error' || r.status === 'warning').map((r) => `${r.id} ${r.status}: ${r.message.split('\n')[0]}`);
    expect(wrong, cli.stdout).toEqual([]);
    expect(cli.code).toBe(0);
    expectHonest(summary);
  });

  test('a reduced profile still fails where the server breaks a field it maps', async () => {
    const c = CASES.find((x) => x.name.startsWith('tasklink without role')) as Case;
    const cli = await run(c, ['birth-date-unchecked'], ['profile']);
    const statuses = Object.fromEntries(cli.summary().results.map((r) => [r.id, r.status]));
    expect(statuses['ACC-PROF-007'], cli.stdout).toBe('failed');
    expect(statuses['ACC-PROF-005']).toBe('skipped');
    expect(cli.code).toBe(1);
  });
});
