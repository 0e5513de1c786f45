import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from './harness.js';

/** A profile that extends tasklink and gets six things wrong about the embedded reference server. */
const WRONG = {
  extends: 'tasklink',
  name: 'tasklink-wrong',
  operations: { register: { status: 200 }, me: { path: 'users/self/' }, wallet: { method: 'POST' } },
  response: { authTokens: '/data/token', authUser: '/user', errors: '/error' },
  user: { email: '/mail' },
};

describe.concurrent('doctor: each mapped operation once, against what the profile says', () => {
  test('a correct profile: every operation answers as it says, exit 0', async () => {
    const run = await runCli(['doctor']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const op of ['register', 'login', 'refresh', 'me', 'wallet', 'updateProfile', 'changePassword', 'error shape']) expect(run.stdout).toMatch(new RegExp(`^✓ ${op}\\s`, 'm'));
    expect(run.stdout).toMatch(/access token at \/data\/tokens\/access/);
    expect(run.stdout).toMatch(/all \d+ answered as the profile says/);
  });

  test('a wrong profile: the operations that differ, the keys to change and the values the answers show, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accounts-doctor-'));
    const path = join(dir, 'wrong.json');
    writeFileSync(path, JSON.stringify(WRONG));
    const run = await runCli(['doctor', '--profile', path]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const out = run.stdout;
    expect(out).toContain('→ set operations.register.status = 201');
    expect(out).toContain('→ set response.authUser = "/data/user", user.email = "/email"');
    expect(out).toContain('→ set response.authTokens = "/data/tokens", response.tokenAccess = "/access", response.tokenRefresh = "/refresh"');
    expect(out).toContain('→ check operations.me.path ("users/self/"');
    expect(out).toContain('→ check operations.wallet.method ("POST")');
    expect(out).toContain('→ set response.errors = "/errors"');
    // The tokens found elsewhere still carried the signed-in operations, which the profile maps right.
    expect(out).toMatch(/^✓ updateProfile\s/m);
    expect(out).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(out).toMatch(/5 of 12 answered otherwise than the profile says/);
  });

  test('a bad option is one line and exit 2', async () => {
    const run = await runCli(['doctor', '--profile', 'no-such-profile']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^accounts-conformance doctor: /);
  });
});
