import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startReferenceServer } from '../reference/server.js';
import { HOOK_OTP_SOURCE, ROOT, runCli } from './harness.js';

function profileFile(document: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'accounts-doctor-')), 'profile.json');
  writeFileSync(path, JSON.stringify(document));
  return path;
}

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
    for (const op of ['register', 'login', 'refresh', 'me', 'wallet', 'updateProfile', 'changePassword', 'resetRequest', 'resetConfirm', 'error shape']) expect(run.stdout).toMatch(new RegExp(`^✓ ${op}\\s`, 'm'));
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
    expect(out).toMatch(/5 of 13 answered otherwise than the profile says/);
  });

  test('the reset is confirmed with the secret the OTP source reads, in the steps of the reset style; a wrong field of it is named', async () => {
    // Three steps (seed 004): the code is traded for a reset token, which sets the password.
    const threeStep = await runCli(['doctor', '--profile', 'flutter-auth']);
    expect(threeStep.code, threeStep.stdout + threeStep.stderr).toBe(0);
    for (const op of ['resetRequest', 'resetVerify', 'resetConfirm']) expect(threeStep.stdout).toMatch(new RegExp(`^✓ ${op}\\s`, 'm'));
    const wrongCode = await runCli(['doctor', '--profile', profileFile({ extends: 'tasklink', name: 'tasklink-reset-code', request: { resetConfirm: { code: 'code' } } })]);
    expect(wrongCode.code).toBe(1);
    expect(wrongCode.stdout).toMatch(/^✗ resetConfirm\s+POST password-reset\/reset\/\n\s+expected 200 \(operations\.resetConfirm\.status\), got 400 .*\n\s+→ check request\.resetConfirm/m);
    expect(wrongCode.stdout).toMatch(/1 of 13 answered otherwise than the profile says/);
    expect(wrongCode.stdout).not.toMatch(/"otp":"\d{6}"|"new_password":"[^«]/);
  });

  test('without an OTP source the reset cannot be confirmed: said, with the reason, and no fault of the profile', async () => {
    const server = await startReferenceServer({ hooks: true });
    try {
      const run = await runCli(['doctor', '--base-url', server.baseUrl]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^✓ resetRequest\s/m);
      expect(run.stdout).toMatch(/^- resetConfirm\s+POST password-reset\/reset\/: not tried: no OTP source configured \(--otp-source\), so the reset code cannot be read$/m);
      expect(run.stdout).toMatch(/all 11 answered as the profile says/);
    } finally {
      await server.close();
    }
  });

  test('a refresh token set in a cookie: the key to set names it, and the profile that does passes, refresh and logout included', async () => {
    const server = await startReferenceServer({ hooks: true, quirks: ['refresh-cookie'] });
    try {
      const bare = await runCli(['doctor', '--base-url', server.baseUrl, '--otp-source', HOOK_OTP_SOURCE]);
      expect(bare.code).toBe(1);
      expect(bare.stdout).toContain('→ set response.authTokens = "/data/tokens", response.tokenAccess = "/access", response.tokenRefresh = "cookie:refresh_token"');
      const run = await runCli(['doctor', '--base-url', server.baseUrl, '--otp-source', HOOK_OTP_SOURCE, '--profile', join(ROOT, 'test', 'profiles', 'tasklink-refresh-cookie.json')]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      for (const op of ['refresh', 'logout', 'resetConfirm']) expect(run.stdout).toMatch(new RegExp(`^✓ ${op}\\s`, 'm'));
    } finally {
      await server.close();
    }
  });

  test('a password change that ends every session (the caller\'s too): the logout goes with a session of the new password, exit 0', async () => {
    // The reference ends every access token issued before a password change, and with the quirk
    // session-logout has a logout that needs a live session, as Parse Server's does.
    const server = await startReferenceServer({ hooks: true, quirks: ['session-logout'] });
    try {
      const run = await runCli(['doctor', '--base-url', server.baseUrl, '--otp-source', HOOK_OTP_SOURCE, '--profile', join(ROOT, 'test', 'profiles', 'tasklink-session-token.json')]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^✓ changePassword\s/m);
      expect(run.stdout).toMatch(/^✓ logout\s/m);
    } finally {
      await server.close();
    }
  });

  test('a bad option is one line and exit 2', async () => {
    const run = await runCli(['doctor', '--profile', 'no-such-profile']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^accounts-conformance doctor: /);
  });
});
