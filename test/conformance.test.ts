import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REQUIREMENTS } from '../requirements/catalogue.js';
import { QUIRKS, type QuirkName } from '../reference/faults.js';
import { startReferenceServer } from '../reference/server.js';
import { expectHonest, HOOK_OTP_SOURCE, inapplicable as inapplicableTo, runCli, statusesOf } from './harness.js';

const inapplicable = (id: string) => inapplicableTo('tasklink', id);

/**
 * Quirks self-tested apart, in test/reach.test.ts: those that need a profile saying so
 * (application headers, a null current user, errors as a list, 204 answers, fields drawn from
 * the signed-in user, RS256 tokens with a published key set, a reset by a mailed token, a refresh token in a cookie), and a lockout,
 * which leaves ACC-THR-002 (the 429's Retry-After) without a 429 to judge.
 */
const NEEDS_OWN_PROFILE: readonly QuirkName[] = ['app-headers', 'me-null-when-signed-out', 'errors-as-array', 'register-204', 'update-204', 'lockout-throttling', 'send-otp-needs-email', 'no-confirmation', 'login-by-email-too', 'rs256-tokens', 'session-logout', 'reset-link-token', 'refresh-cookie'];

describe.concurrent('the suite against conforming servers', () => {
  test('with nothing given it runs against the embedded reference server: exit 0, every check passes, every report written', async () => {
    const run = await runCli([]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = run.summary();
    expect(summary.target.embedded).toBe(true);
    // The reference server does not rotate refresh tokens by default (simplejwt's default), so the
    // rotation race does not apply; everything else passes.
    const others = summary.results.filter((r) => inapplicable(r.id));
    for (const r of others) expect([r.status, r.message], r.id).toEqual(['skipped', `not applicable: ${inapplicable(r.id)}`]);
    expect(summary.results.filter((r) => r.status !== 'passed' && !inapplicable(r.id)).map((r) => [r.id, r.status, r.message])).toEqual([
      ['ACC-RACE-004', 'skipped', 'not applicable: the target does not rotate refresh tokens, so reuse of one cannot race'],
    ]);
    expect(summary.results.map((r) => r.id)).toEqual(REQUIREMENTS.map((r) => r.id));
    expectHonest(summary);
    for (const file of ['summary.json', 'junit.xml', 'report.html', join('html', 'index.html')]) expect(existsSync(join(run.reportDir, file)), file).toBe(true);
    expect(run.stdout).toMatch(new RegExp(`seed ${summary.seed}`));
    expect(run.stdout).toMatch(new RegExp(`^total\\s+\\d+\\s+0\\s+0\\s+${others.length + 1}$`, 'm'));
  });

  test('without an OTP source or a clock hook the checks that need them are skipped with the reason, and the others still pass', async () => {
    const server = await startReferenceServer();
    try {
      const run = await runCli(['--base-url', server.baseUrl]);
      expect(run.code, run.stdout).toBe(0);
      const summary = run.summary();
      for (const r of summary.results) {
        const req = REQUIREMENTS.find((q) => q.id === r.id);
        const notApplicable = inapplicable(r.id) !== null || r.id === 'ACC-RACE-004';
        const caps = req?.needs.capabilities ?? [];
        const reason = notApplicable ? /not applicable/ : caps.includes('otpSource') ? /needs a real OTP: no OTP source configured/ : caps.includes('clock') ? /needs the target's clock hook/ : null;
        expect(r.status, r.id).toBe(reason ? 'skipped' : 'passed');
        if (reason) expect(r.message, r.id).toMatch(reason);
      }
    } finally {
      await server.close();
    }
  });

  test('a server that differs only where the contract allows (rotation, gzip, extra fields, messages, ids, rate limits, latency) conforms', async () => {
    // The global rate limit makes a run last a minute: it has its own self-test (test/throttled.test.ts).
    const quirks = (Object.keys(QUIRKS) as QuirkName[]).filter((q) => q !== 'global-rate-limit' && !NEEDS_OWN_PROFILE.includes(q));
    const server = await startReferenceServer({ hooks: true, quirks, latencyMs: 20 });
    try {
      const run = await runCli(['--base-url', server.baseUrl, '--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock'], { keep: 'reference-tasklink' });
      expect(run.code, run.stdout).toBe(0);
      expect(Object.entries(statusesOf(run.summary())).filter(([id, s]) => s !== 'passed' && !inapplicable(id))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
