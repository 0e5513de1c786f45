/**
 * Profiles that reach APIs unlike TaskLink: each gap of the profile format, closed, proven on a
 * reference-server quirk that behaves that way. The run with the right profile passes; without
 * the new keys it does not, so the keys are what made the difference.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { APP_ID } from '../reference/app-headers.js';
import { startReferenceServer, type ReferenceServer } from '../reference/server.js';
import type { Summary } from '../cli/reports.js';
import { expectHonest, HOOK_OTP_SOURCE, ROOT, runCli, type CliRun } from './harness.js';

function profileFile(document: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'acc-reach-')), 'profile.json');
  writeFileSync(path, JSON.stringify(document));
  return path;
}

/** Every file of a report directory, as text. */
function reportText(dir: string): string {
  const files = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));
  return files(dir).map((f) => readFileSync(f, 'utf8')).join('\n');
}

/** The reference server's OTP and clock hooks. */
const HOOKS = ['--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock'];

/** A run against a conforming server under the profile that reaches it: exit 0, and every verdict honest. */
function conforming(run: CliRun): Summary {
  expect(run.code, run.stdout).toBe(0);
  const summary = run.summary();
  expectHonest(summary);
  return summary;
}

const APP_HEADERS = {
  extends: 'tasklink',
  name: 'tasklink-app-headers',
  headers: { 'X-Application-Id': '${ACCOUNTS_TEST_APP_ID}' },
  operations: { login: { headers: { 'X-Requested-With': 'XMLHttpRequest' } }, refresh: { body: 'form' }, resetRequest: { body: 'form' } },
};

// Each test makes several whole runs; on two busy cores (CI runs them five at a time) one takes up to
// 100 s, so the bound is wider than the default 120 s.
describe.concurrent('profiles that reach other APIs', { timeout: 300_000 }, () => {
  test('constant headers from the environment, per-operation headers and form bodies: the run passes, and the key never shows', async () => {
    const server = await startReferenceServer({ hooks: true, quirks: ['app-headers', 'form-bodies'] });
    try {
      const args = ['--base-url', server.baseUrl, ...HOOKS];
      const run = await runCli([...args, '--profile', profileFile(APP_HEADERS)], { env: { ACCOUNTS_TEST_APP_ID: APP_ID } });
      const summary = conforming(run);
      expect(summary.failed).toBe(0);
      expect(summary.passed).toBeGreaterThan(100);
      // The application id came from the environment: a secret, in no report.
      expect(reportText(run.reportDir)).not.toContain(APP_ID);
      expect(run.stdout + run.stderr).not.toContain(APP_ID);
      // Without the headers the same server refuses everything: the profile keys made the difference.
      const bare = await runCli([...args, '--only', 'envelope,login']);
      expect(bare.code).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('a session-token API (no refresh token, a logout that ends the session): the run passes, the refresh checks do not apply, ACC-OUT-004 does', async () => {
    const server = await startReferenceServer({ hooks: true, quirks: ['session-logout'] });
    try {
      const run = await runCli(['--base-url', server.baseUrl, ...HOOKS, '--profile', join(ROOT, 'test', 'profiles', 'tasklink-session-token.json')]);
      const summary = conforming(run);
      expect(summary.passed).toBeGreaterThan(100);
      const byId = new Map(summary.results.map((r) => [r.id, r]));
      expect(byId.get('ACC-REF-001')?.message).toMatch(/not applicable: .* has no refresh operation/);
      expect(byId.get('ACC-AUTH-005')?.message).toMatch(/not applicable: .*hands out no refresh token/);
      expect(byId.get('ACC-OUT-004')?.status).toBe('passed');
    } finally {
      await server.close();
    }
  });

  test('"not signed in" answered as 200 null: accepted as the refusal on that operation, and a broken token check still fails', async () => {
    const server = await startReferenceServer({ hooks: true, quirks: ['me-null-when-signed-out'] });
    const broken = await startReferenceServer({ hooks: true, quirks: ['me-null-when-signed-out'], faults: ['accepts-alg-none'] });
    try {
      const profile = profileFile({ extends: 'tasklink', name: 'tasklink-null-session', operations: { me: { unauthenticated: { status: 200, body: null } } } });
      const args = [...HOOKS, '--profile', profile];
      const run = await runCli(['--base-url', server.baseUrl, ...args]);
      const summary = conforming(run);
      expect(summary.results.find((r) => r.id === 'ACC-ENV-003')?.message).toMatch(/not applicable: .*answers a signed-out request with 200/);
      // The tasklink profile, which expects a 401 there, sees the quirk as what it is.
      const strict = await runCli(['--base-url', server.baseUrl, '--only', 'envelope,auth']);
      expect(strict.code).toBe(1);
      // An unsigned token still signs in on the broken server: 200 with the user is not 200 null.
      const faulty = await runCli(['--base-url', broken.baseUrl, ...args, '--only', 'auth']);
      expect(faulty.summary().results.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual(['ACC-AUTH-004']);
    } finally {
      await Promise.all([server.close(), broken.close()]);
    }
  });

  test('field errors as a list of objects naming their field: the run passes, and a wrong errorField fails the field checks', async () => {
    const server = await startReferenceServer({ hooks: true, quirks: ['errors-as-array'] });
    try {
      const list = (errorField: string) =>
        profileFile({ extends: 'tasklink', name: 'tasklink-error-list', envelope: { error: 'json-object' }, response: { errors: '/errors', errorField } });
      const args = ['--base-url', server.baseUrl, ...HOOKS];
      const run = await runCli([...args, '--profile', list('/extensions/field')]);
      conforming(run);
      const wrong = await runCli([...args, '--profile', list('/extensions/name'), '--only', 'register']);
      const failed = wrong.summary().results.filter((r) => r.status === 'failed');
      expect(failed.length).toBeGreaterThan(3);
      for (const r of failed) expect(r.message).toMatch(/expected an error naming the field '.*' at \/extensions\/name/);
    } finally {
      await server.close();
    }
  });

  test('a registration and an update that answer 204 with no body: the run passes, reading the user back, and a lost update still fails', async () => {
    const quirks = ['register-204', 'update-204'] as const;
    const server = await startReferenceServer({ hooks: true, quirks: [...quirks] });
    const lossy = await startReferenceServer({ hooks: true, quirks: [...quirks], faults: ['update-me-not-persisted'] });
    try {
      const profile = profileFile({
        extends: 'tasklink',
        name: 'tasklink-no-content',
        operations: { register: { status: 204 }, updateProfile: { status: 204 } },
        registerIssuesTokens: false,
        updateAnswersUser: false,
        response: { authUser: null, authData: null },
        schemas: { authData: null },
      });
      const args = [...HOOKS, '--profile', profile];
      const run = await runCli(['--base-url', server.baseUrl, ...args]);
      const summary = conforming(run);
      expect(summary.results.find((r) => r.id === 'ACC-PROF-001')?.message).toMatch(/not applicable: .*update answers without the user/);
      expect(summary.results.find((r) => r.id === 'ACC-PROF-002')?.status).toBe('passed');
      const faulty = await runCli(['--base-url', lossy.baseUrl, ...args, '--only', 'profile']);
      expect(faulty.summary().results.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual(['ACC-PROF-002']);
    } finally {
      await Promise.all([server.close(), lossy.close()]);
    }
  });

  test("a registration that answers only the token (Parse Server's sign-up): the new user is read back through the current-user operation, and a user stored wrong still fails", async () => {
    const faults = [[], ['register-ignores-full-name'], ['register-starts-verified'], ['register-mass-assignment']] as const;
    const servers = await Promise.all(faults.map((f) => startReferenceServer({ hooks: true, faults: [...f] })));
    try {
      const profile = profileFile({ extends: 'tasklink', name: 'tasklink-token-only-register', response: { authUser: null } });
      const runs = await Promise.all(servers.map((server) => runCli(['--base-url', server.baseUrl, ...HOOKS, '--profile', profile, '--only', 'register'])));
      const [clean, ...faulty] = runs as [CliRun, ...CliRun[]];
      const summary = conforming(clean);
      const ids = ['ACC-REG-002', 'ACC-REG-003', 'ACC-REG-004', 'ACC-REG-005', 'ACC-REG-016'];
      expect(ids.map((id) => [id, summary.results.find((r) => r.id === id)?.status])).toEqual(ids.map((id) => [id, 'passed']));
      // The user each check judged is the one the current-user operation shows.
      for (const id of ids) expect(summary.results.find((r) => r.id === id)?.probes?.some((p) => p.operation === 'me'), id).toBe(true);
      const failed = (run: CliRun) => run.summary().results.filter((r) => r.status === 'failed').map((r) => r.id);
      expect(faulty.map(failed)).toEqual([['ACC-REG-004'], ['ACC-REG-003'], ['ACC-REG-016']]);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  test('paths that name the user (users/{id}/): the run passes, each token reaching its own user, and ACC-BOLA-004 applies', async () => {
    const server = await startReferenceServer({ hooks: true, quirks: ['user-path-ids'] });
    try {
      const run = await runCli(['--base-url', server.baseUrl, ...HOOKS, '--profile', join(ROOT, 'test', 'profiles', 'tasklink-user-paths.json')]);
      const summary = conforming(run);
      expect(summary.results.find((r) => r.id === 'ACC-BOLA-004')?.status).toBe('passed');
      // The same checks reached users/{id}/ for reading and for the update.
      expect(summary.results.find((r) => r.id === 'ACC-PROF-002')?.status).toBe('passed');
    } finally {
      await server.close();
    }
  });

  test('throttling by lockout (no 429, the right password refused): ACC-THR-001 passes, a lockout for good and no lockout at all still fail', async () => {
    const servers = await Promise.all(
      [[], ['permanent-lockout'], ['no-login-throttling']].map((faults) => startReferenceServer({ hooks: true, quirks: ['lockout-throttling'], faults: faults as never[] })),
    );
    try {
      const runs = await Promise.all(servers.map((s) => runCli(['--base-url', s.baseUrl, ...HOOKS, '--only', 'throttling,expiry'])));
      const statuses = runs.map((run) => Object.fromEntries(run.summary().results.map((r) => [r.id, r.status])));
      expect(runs[0]?.code, runs[0]?.stdout).toBe(0);
      expect(statuses[0]?.['ACC-THR-001']).toBe('passed');
      expect(runs[0]?.summary().results.find((r) => r.id === 'ACC-THR-002')?.message).toMatch(/not applicable: .*locking the account/);
      expect(statuses[0]?.['ACC-CLK-003']).toBe('passed');
      expect(statuses[1]?.['ACC-CLK-003']).toBe('warning');
      expect(statuses[2]?.['ACC-THR-001']).toBe('failed');
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  test("request fields drawn from the signed-in user (send-OTP takes the user's email): the OTP checks pass, and fail without it", async () => {
    const server = await startReferenceServer({ hooks: true, quirks: ['send-otp-needs-email'] });
    try {
      const profile = profileFile({ extends: 'tasklink', name: 'tasklink-otp-email', request: { sendOtp: { email: 'email' } }, operations: { sendOtp: { fromUser: ['email'] } } });
      const args = ['--base-url', server.baseUrl, ...HOOKS, '--only', 'otp,profile'];
      const run = await runCli([...args, '--profile', profile]);
      conforming(run);
      expect(run.summary().results.find((r) => r.id === 'ACC-OTP-004')?.status).toBe('passed');
      const without = await runCli(args);
      expect(without.summary().results.find((r) => r.id === 'ACC-OTP-001')?.status).toBe('failed');
    } finally {
      await server.close();
    }
  });

  test('an API without password confirmation fields: the run passes, the confirmation checks do not apply, and a missing current-password check still fails', async () => {
    const server = await startReferenceServer({ hooks: true, quirks: ['no-confirmation'] });
    const lax = await startReferenceServer({ hooks: true, quirks: ['no-confirmation'], faults: ['change-password-without-old'] });
    try {
      const profile = profileFile({
        extends: 'tasklink',
        name: 'tasklink-no-confirmation',
        request: { register: { passwordConfirm: null }, changePassword: { newPasswordConfirm: null }, resetConfirm: { newPasswordConfirm: null } },
      });
      const args = [...HOOKS, '--profile', profile];
      const run = await runCli(['--base-url', server.baseUrl, ...args]);
      const summary = conforming(run);
      expect(summary.results.find((r) => r.id === 'ACC-PWD-005')?.message).toMatch(/not applicable: .*maps no request field changePassword\.newPasswordConfirm/);
      const faulty = await runCli(['--base-url', lax.baseUrl, ...args, '--only', 'password']);
      expect(faulty.summary().results.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual(['ACC-PWD-007']);
    } finally {
      await Promise.all([server.close(), lax.close()]);
    }
  });

  test('a login that takes the username or the email: the login checks of both apply, and the second fails where the API does not take it', async () => {
    const both = await startReferenceServer({ dialect: 'university', hooks: true, quirks: ['login-by-email-too'] });
    const usernameOnly = await startReferenceServer({ dialect: 'university', hooks: true });
    try {
      const profile = profileFile({ extends: 'university', name: 'university-email-too', alsoLoginWith: ['email'] });
      const args = ['--otp-source', HOOK_OTP_SOURCE, '--provision', 'http:/__conformance__/users', '--profile', profile, '--only', 'login'];
      const statusOf = async (baseUrl: string, id: string) => (await runCli(['--base-url', baseUrl, ...args])).summary().results.find((r) => r.id === id)?.status;
      expect(await statusOf(both.baseUrl, 'ACC-LOG-002')).toBe('passed');
      expect(await statusOf(both.baseUrl, 'ACC-LOG-006')).toBe('passed');
      expect(await statusOf(usernameOnly.baseUrl, 'ACC-LOG-002')).toBe('failed');
    } finally {
      await Promise.all([both.close(), usernameOnly.close()]);
    }
  });

  test('RS256 tokens with a published key set (jwks): the run passes, algorithm confusion is tried and refused', async () => {
    const server = await startReferenceServer({ hooks: true, quirks: ['rs256-tokens'] });
    try {
      const run = await runCli(['--base-url', server.baseUrl, ...HOOKS, '--profile', join(ROOT, 'test', 'profiles', 'tasklink-rs256.json')]);
      const summary = conforming(run);
      expect(summary.results.find((r) => r.id === 'ACC-JWT-008')?.status).toBe('passed');
      expect(summary.results.find((r) => r.id === 'ACC-JWT-003')?.message).toMatch(/not applicable: .*RS256, not an HMAC/);
    } finally {
      await server.close();
    }
  });

  test('a reset by one token mailed in a link (?token=…), confirmed with the token and the new password: the reset checks pass, and a reusable, loosely compared or unbound token still fails', async () => {
    const faultSets = [[], ['reset-link-token-reusable'], ['reset-link-token-prefix-only'], ['reset-link-token-unbound']];
    const [server, reusable, loose, unbound] = await Promise.all(faultSets.map((faults) => startReferenceServer({ hooks: true, quirks: ['reset-link-token'], faults: faults as never[] })));
    try {
      const profile = (name: string) => ['--profile', join(ROOT, 'test', 'profiles', `${name}.json`)];
      const run = (target: { baseUrl: string }, ...args: string[]) => runCli(['--base-url', target.baseUrl, ...HOOKS, ...args]);
      // The flows whose checks reset a password; the username profile also names the account the token is for.
      const runs = await Promise.all([
        run(server!, ...profile('tasklink-reset-token'), '--only', 'reset,otp,races,sessions'),
        run(reusable!, ...profile('tasklink-reset-token'), '--only', 'reset'),
        run(loose!, ...profile('tasklink-reset-token'), '--only', 'reset'),
        run(server!, ...profile('tasklink-reset-token-username'), '--only', 'reset'),
        run(unbound!, ...profile('tasklink-reset-token-username'), '--only', 'reset'),
        run(server!, '--only', 'reset'),
      ]);
      const [tokenOnly, reused, loosely, named, unboundRun, byCode] = runs as [CliRun, CliRun, CliRun, CliRun, CliRun, CliRun];
      const byId = new Map(conforming(tokenOnly).results.map((r) => [r.id, r]));
      for (const id of ['ACC-RST-001', 'ACC-RST-002', 'ACC-RST-003', 'ACC-RST-004', 'ACC-RST-005', 'ACC-RST-006', 'ACC-RST-007', 'ACC-RACE-003', 'ACC-SES-003', 'ACC-OTP-012']) expect(byId.get(id)?.status, id).toBe('passed');
      // The token alone names the account: there is no other account to present it for.
      expect(byId.get('ACC-RST-008')?.message).toMatch(/not applicable: .*with the token alone .*cannot be presented for another account/);
      expect(byId.get('ACC-RST-009')?.message).toMatch(/not applicable: .*through one emailed token/);
      const failed = (r: CliRun) => r.summary().results.filter((x) => x.status === 'failed').map((x) => x.id);
      expect(failed(reused)).toEqual(['ACC-RST-006']);
      expect(failed(loosely)).toEqual(['ACC-RST-005']);
      // Where the reset also names the account (the username), the owner's token is presented for another one.
      expect(conforming(named).results.find((r) => r.id === 'ACC-RST-008')?.status).toBe('passed');
      expect(failed(unboundRun)).toEqual(['ACC-RST-008']);
      // The tasklink profile, which resets by a code, does not reach this reset.
      expect(byCode.summary().results.find((r) => r.id === 'ACC-RST-003')?.status).toBe('failed');
    } finally {
      await Promise.all([server, reusable, loose, unbound].map((s) => s?.close()));
      }
    });

  test('the refresh token in an HttpOnly cookie (read from Set-Cookie, sent back as Cookie): the refresh and logout checks pass, rotation is followed, and broken refreshes still fail', async () => {
    const cookie = join(ROOT, 'test', 'profiles', 'tasklink-refresh-cookie.json');
    const servers = await Promise.all(
      [[[], []], [['rotate-refresh'], []], [['rotate-refresh'], ['rotated-refresh-unusable']], [[], ['refresh-survives-password-change']]].map(([quirks, faults]) =>
        startReferenceServer({ hooks: true, quirks: ['refresh-cookie', ...(quirks as never[])], faults: faults as never[] }),
      ),
    );
    const [plain, rotating, unusable, surviving] = servers as [ReferenceServer, ReferenceServer, ReferenceServer, ReferenceServer];
    try {
      const args = [...HOOKS, '--profile', cookie];
      const summary = conforming(await runCli(['--base-url', plain.baseUrl, ...args]));
      expect(summary.passed).toBeGreaterThan(100);
      const statuses = (s: Summary) => Object.fromEntries(s.results.map((r) => [r.id, r.status]));
      const refreshChecks = ['ACC-REF-001', 'ACC-REF-002', 'ACC-REF-003', 'ACC-REF-004', 'ACC-REF-005', 'ACC-REF-006', 'ACC-AUTH-005', 'ACC-OUT-001', 'ACC-OUT-002', 'ACC-OUT-003', 'ACC-SES-002', 'ACC-SES-003', 'ACC-CLK-004', 'ACC-JWT-007'];
      expect(refreshChecks.map((id) => [id, statuses(summary)[id]])).toEqual(refreshChecks.map((id) => [id, 'passed']));
      // A rotating server sets the new refresh token in the cookie: it refreshes again, and its reuse races are judged.
      const rotated = conforming(await runCli(['--base-url', rotating.baseUrl, ...args, '--only', 'refresh,races']));
      expect([statuses(rotated)['ACC-REF-003'], statuses(rotated)['ACC-RACE-004']]).toEqual(['passed', 'passed']);
      const broken = await runCli(['--base-url', unusable.baseUrl, ...args, '--only', 'refresh']);
      expect(broken.summary().results.filter((r) => r.status !== 'passed').map((r) => [r.id, r.status])).toEqual([['ACC-REF-003', 'failed']]);
      const kept = await runCli(['--base-url', surviving.baseUrl, ...args, '--only', 'sessions']);
      expect(kept.summary().results.filter((r) => r.status !== 'passed').map((r) => [r.id, r.status])).toEqual([['ACC-SES-002', 'warning']]);
      // The tasklink profile looks for the refresh token in the body: the cookie was what made the difference.
      const bare = await runCli(['--base-url', plain.baseUrl, ...HOOKS, '--only', 'refresh']);
      expect(bare.code).toBe(1);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  test('a header naming an unset environment variable is one line and exit 2, naming the key', async () => {
    const run = await runCli(['--profile', profileFile(APP_HEADERS), '--list']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^accounts-conformance: profile .*: \/headers\/X-Application-Id: the environment variable ACCOUNTS_TEST_APP_ID is not set\n$/);
  });
});
