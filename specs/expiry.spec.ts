import { NotApplicable } from '../helpers/outcome.js';
import { successStatuses } from '../helpers/wire/profile.js';
import { check, sequentialChecks } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import { failedLogins, retryAfterSeconds } from '../helpers/flows/throttle.js';
import { claimsOf } from '../helpers/wire/tokens.js';
import { attemptLogin, loginId, newPassword } from '../helpers/flows/users.js';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** Ten years: how far the refresh-expiry check moves a clock at most. */
const MAX_LIFETIME_S = 3650 * DAY;

// Each check moves the target's clock: they run one after the other, alone on the target.
sequentialChecks('expiry', () => {
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

  check('ACC-CLK-004', async (t) => {
    const account = await t.registerUser();
    const claims = claimsOf(account.refresh);
    if (!claims) throw new NotApplicable('the refresh token is not a JWT: its lifetime cannot be read');
    const { exp, iat } = claims;
    if (typeof exp !== 'number') throw new NotApplicable('the refresh token carries no numeric exp (see ACC-JWT-007): there is no expiry to go past');
    if (typeof iat !== 'number') throw new NotApplicable("the refresh token carries no numeric iat: how far its exp lies ahead of the target's clock cannot be told");
    if (exp - iat > MAX_LIFETIME_S) throw new NotApplicable(`the refresh token lives ${Math.round((exp - iat) / DAY)} days: further than the check moves a clock`);
    await t.clock.advance(Math.max(exp - iat, 0) + 60);
    t.checks.expectRefused(await t.api.call('refresh', { fields: { refresh: account.refresh } }), 'unauthorized');
  });

  check('ACC-CLK-005', async (t) => {
    const account = await t.registerUser();
    const claims = claimsOf(account.access);
    if (!claims) throw new NotApplicable('the access token is not a JWT: it carries no nbf');
    const { nbf, iat } = claims;
    if (nbf === undefined) throw new NotApplicable('the access token carries no nbf claim: there is no not-before time to use it ahead of');
    if (typeof nbf !== 'number') throw new NotApplicable('the access token\'s nbf is not a number (see ACC-JWT-006)');
    // An hour before nbf, far past any clock-skew leeway; the clock goes back where it was after.
    const back = HOUR + (typeof iat === 'number' ? Math.max(0, iat - nbf) : 0);
    await t.clock.advance(-back);
    try {
      t.checks.expectRefusalStatus(await t.api.call('me', { credential: { token: account.access } }), 'unauthorized');
    } finally {
      await t.clock.advance(back);
    }
  });
});
