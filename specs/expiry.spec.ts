import { NotApplicable } from '../helpers/outcome.js';
import { describe } from 'vitest';
import { successStatuses } from '../helpers/wire/profile.js';
import { check } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import { failedLogins, retryAfterSeconds } from '../helpers/flows/throttle.js';
import { claimsOf } from '../helpers/wire/tokens.js';
import { attemptLogin, loginId, newPassword } from '../helpers/flows/users.js';

const HOUR = 3600;

// Each check moves the target's clock: they run one after the other, alone on the target.
describe.sequential('expiry', () => {
  check('ACC-CLK-001', async (t) => {
    const account = await t.registerUser();
    const claims = claimsOf(account.access) as { exp?: number; iat?: number } | null;
    // Past the token's own lifetime when it can be read; a day otherwise.
    const lifetime = claims?.exp !== undefined && claims.iat !== undefined ? claims.exp - claims.iat : 24 * HOUR;
    await t.clock.advance(Math.min(lifetime, 7 * 24 * HOUR) + 60);
    t.checks.expectRefusalStatus(await t.api.call('me', { credential: { token: account.access } }), 'unauthorized');
  });

  check('ACC-CLK-002', async (t) => {
    const account = await t.registerUser();
    const channel = t.profile.values.channel.email;
    t.checks.expectOk(await t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel } }));
    const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
    await t.clock.advance(HOUR);
    // The access token may have expired too: log in again, so only the code's age is tested.
    const fresh = await t.loginAs(loginId(t.profile, account), account.password);
    const ex = await t.api.call('verifyOtp', { credential: { token: fresh.access }, fields: { channel, code } });
    t.checks.expectRefused(ex, 'invalid');
  });

  check('ACC-CLK-003', async (t) => {
    const account = await t.registerUser();
    const wrong = newPassword(t.faker);
    const result = await failedLogins(t.api, account, wrong, 100);
    if (!result.throttled) throw new NotApplicable('no login was throttled within 100 attempts, so there is no window to wait out (see ACC-THR-001)');
    await t.clock.advance((retryAfterSeconds(result.throttled) ?? HOUR) + 1);
    // A 429 now is the subject (the lockout outlived its window), not a throttle to wait out.
    const ex = await attemptLogin(t.api, loginId(t.profile, account), account.password, false);
    const ok = successStatuses(t.profile, 'login');
    if (ex.status === null || !ok.includes(ex.status)) fail(`the account stays locked after the throttling window: the right password answers ${ex.status ?? ex.failure}`, ex);
  });
});
