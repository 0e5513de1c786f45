import { check, type CheckContext } from '../helpers/check.js';
import { fail, NotApplicable } from '../helpers/checks.js';
import type { Exchange } from '../helpers/http.js';
import { fireTogether, RACE_WIDTH, tally } from '../helpers/race.js';
import { newPassword, newUserInput, registerFields, uniquePhone } from '../helpers/users.js';

/** Exactly one of the simultaneous requests succeeds; none crashes. */
function expectExactlyOne(answers: readonly Exchange[], success: number, what: string): void {
  const wins = answers.filter((ex) => ex.status === success);
  const crashes = answers.filter((ex) => ex.status === null || ex.status >= 500);
  if (wins.length !== 1 || crashes.length) {
    fail(`${answers.length} simultaneous ${what}: expected exactly one ${success} and no 5xx, got ${tally(answers)}`, ...[...crashes, ...wins].slice(0, 2));
  }
}

check('ACC-RACE-001', async (t) => {
  const input = newUserInput(t.faker, t.profile);
  const answers = await fireTogether(t.api, RACE_WIDTH, () => t.api.call('register', { fields: registerFields({ ...input, phone: uniquePhone(t.profile) }), retryOnRateLimit: false }));
  expectExactlyOne(answers, 201, 'registrations with one email');
});

check('ACC-RACE-002', async (t) => {
  const account = await t.registerUser();
  const channel = t.profile.values.channel.email;
  t.checks.expectOk(await t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel } }));
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  const answers = await fireTogether(t.api, RACE_WIDTH, () => t.api.call('verifyOtp', { credential: { token: account.access }, fields: { channel, code }, retryOnRateLimit: false }));
  expectExactlyOne(answers, 200, 'verifications with one code');
});

check('ACC-RACE-003', async (t) => {
  const account = await t.registerUser();
  t.checks.expectOk(await t.api.call('resetRequest', { fields: { identifier: account.email } }));
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'reset' });
  const answers = await fireTogether(t.api, RACE_WIDTH, () => {
    const next = newPassword(t.faker);
    return t.api.call('resetConfirm', { fields: { identifier: account.email, code, newPassword: next, newPasswordConfirm: next }, retryOnRateLimit: false });
  });
  expectExactlyOne(answers, 200, 'resets with one code');
});

async function rotated(t: CheckContext, refresh: string): Promise<string> {
  const ex = await t.api.call('refresh', { fields: { refresh } });
  t.checks.expectOk(ex);
  const next = t.api.read(ex, 'refreshRefresh');
  if (typeof next !== 'string') throw new NotApplicable('the target does not rotate refresh tokens, so reuse of one cannot race');
  return next;
}

check('ACC-RACE-004', async (t) => {
  const account = await t.registerUser();
  const token = await rotated(t, account.refresh);
  const answers = await fireTogether(t.api, RACE_WIDTH, () => t.api.call('refresh', { fields: { refresh: token }, retryOnRateLimit: false }));
  expectExactlyOne(answers, 200, 'refreshes with one rotating refresh token');
});
