/**
 * A conforming server behind a global rate limit (past 20 requests a second, every endpoint
 * answers 429 with Retry-After: 1) is still conforming: the suite waits the limit out, and a
 * check it cannot isolate is inconclusive, never failed. The limit must not pass a throttling
 * check for the wrong reason either: with the server's own login throttle switched off, the
 * gateway's 429s do not stand in for it.
 */
import { describe, expect, test } from 'vitest';
import { startReferenceServer } from '../reference/server.js';
import { HOOK_OTP_SOURCE, inapplicable, runCli, statusesOf } from './harness.js';

const HOOKS = ['--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock'];
/** At 20 requests a second a whole run takes about a minute and a half on a loaded 2-core machine. */
const RUN_MS = 200_000;

// The two runs wait on their own servers' limits, not on the cores: they run side by side.
describe.concurrent('the suite against a server with a global rate limit', () => {
  test(
    'a conforming server behind a global rate limit: exit 0, no failure; throttled checks are skipped as inconclusive',
    async () => {
      const server = await startReferenceServer({ hooks: true, quirks: ['global-rate-limit'] });
      try {
        const run = await runCli(['--base-url', server.baseUrl, ...HOOKS], { timeoutMs: RUN_MS });
        const summary = run.summary();
        expect(run.code, run.stdout).toBe(0);
        expect(summary.failed, run.stdout).toBe(0);
        // The rotation race does not apply to a server that does not rotate refresh tokens.
        const notPassed = summary.results.filter((r) => r.status !== 'passed' && !inapplicable('tasklink', r.id) && r.id !== 'ACC-RACE-004');
        for (const r of notPassed) expect([r.id, r.status, r.message]).toEqual([r.id, 'skipped', expect.stringMatching(/^inconclusive: the target throttled this check: (429|503)/)]);
      } finally {
        await server.close();
      }
    },
    RUN_MS + 20_000,
  );

  test(
    "a global rate limit does not stand in for a throttle of failed logins: with the server's own switched off, ACC-THR-001 fails",
    async () => {
      const server = await startReferenceServer({ hooks: true, quirks: ['global-rate-limit'], faults: ['no-login-throttling'] });
      try {
        const run = await runCli(['--base-url', server.baseUrl, ...HOOKS, '--only', 'throttling'], { timeoutMs: RUN_MS });
        const statuses = statusesOf(run.summary());
        expect(run.code, run.stdout).toBe(1);
        expect(statuses['ACC-THR-001'], run.stdout).toBe('failed');
        expect(Object.entries(statuses).filter(([id, s]) => id !== 'ACC-THR-001' && s === 'failed')).toEqual([]);
      } finally {
        await server.close();
      }
    },
    RUN_MS + 20_000,
  );
});
