import { NotApplicable } from '../helpers/outcome.js';
import { check, type CheckContext } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { fireTogether, RACE_WIDTH, tally } from '../helpers/flows/race.js';
import { readResetSecret, requestResetOk, resetPassword, verifyResetCode } from '../helpers/flows/reset.js';
import { newPassword, newUserInput, registerFields, uniquePhone } from '../helpers/flows/users.js';

/** Exactly one of the simultaneous requests succeeds (a 2xx); none crashes (a 503 the target throttled with is no crash). */
function expectExactlyOne(answers: readonly Exchange[], what: string): void {
  const wins = answers.filter((ex) => ex.status !== null && ex.status >= 200 && ex.status < 300);
  const crashes = answers.filter((ex) => (ex.status === null || ex.status >= 500) && !ex.throttled);
  if (wins.length !== 1 || crashes.length) {
    fail(`${answers.length} simultaneous ${what}: expected exactly one success and no 5xx, got ${tally(answers)}`, ...[...crashes, ...wins].slice(0, 2));
  }
}

check('ACC-RACE-001', async (t) => {
  const input = newUserInput(t.faker, t.profile);
  const answers = await fireTogether(t.api, RACE_WIDTH, () => t.api.call('register', { fields: registerFields({ ...input, phone: uniquePhone(t.profile) }), retryOnRateLimit: false }));
  expectExactlyOne(answers, 'registrations with one email');
});

check('ACC-RACE-002', async (t) => {
  const account = await t.registerUser();
  const channel = t.profile.values.channel.email;
  t.checks.expectOk(await t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel } }));
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  const answers = await fireTogether(t.api, RACE_WIDTH, () => t.api.call('verifyOtp', { credential: { token: account.access }, fields: { channel, code }, retryOnRateLimit: false }));
  expectExactlyOne(answers, 'verifications with one code');
});

check('ACC-RACE-003', async (t) => {
  const account = await t.registerUser();
  await requestResetOk(t, account);
  const secret = await readResetSecret(t, account);
  // The single-use step: the code's trade for a reset token (three-step), else the reset itself.
  const answers = await fireTogether(t.api, RACE_WIDTH, () =>
    t.profile.resetStyle === 'three-step' && 'code' in secret ? verifyResetCode(t, account, secret.code) : resetPassword(t, account, secret, newPassword(t.faker)),
  );
  expectExactlyOne(answers, 'resets with one code');
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
  expectExactlyOne(answers, 'refreshes with one rotating refresh token');
});
