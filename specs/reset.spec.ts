import { NotApplicable } from '../helpers/outcome.js';
import { randomBytes } from 'node:crypto';
import { check, type CheckContext } from '../helpers/harness/check.js';

import {
  confirmWithToken,
  crossSecret,
  crossSecretUnsendable,
  readResetSecret,
  requestResetOk,
  resetPassword,
  resetTokenOf,
  sameSecret,
  verifyResetCode,
  wrongSecret,
} from '../helpers/flows/reset.js';
import { attemptLogin, loginId, newPassword, type Account } from '../helpers/flows/users.js';

for (const [id, by] of [['ACC-RST-001', 'phone'], ['ACC-RST-002', 'email']] as const) {
  check(id, async (t) => {
    await requestResetOk(t, await t.registerUser(), by);
  });
}

check('ACC-RST-003', async (t) => {
  const account = await t.registerUser();
  await requestResetOk(t, account);
  t.checks.expectOk(await resetPassword(t, account, await readResetSecret(t, account), newPassword(t.faker)));
});

check('ACC-RST-004', async (t) => {
  const account = await t.registerUser();
  await requestResetOk(t, account);
  const next = newPassword(t.faker);
  t.checks.expectOk(await resetPassword(t, account, await readResetSecret(t, account), next));
  t.checks.expectRefusalStatus(await attemptLogin(t.api, loginId(t.profile, account), account.password), 'badCredentials');
  t.checks.expectOk(await attemptLogin(t.api, loginId(t.profile, account), next));
});

check('ACC-RST-005', async (t) => {
  const account = await t.registerUser();
  await requestResetOk(t, account);
  const real = t.otp.available ? await readResetSecret(t, account) : null;
  t.checks.expectRefused(await resetPassword(t, account, wrongSecret(t, real), newPassword(t.faker)), 'invalid');
});

check('ACC-RST-006', async (t) => {
  const account = await t.registerUser();
  await requestResetOk(t, account);
  const secret = await readResetSecret(t, account);
  t.checks.expectOk(await resetPassword(t, account, secret, newPassword(t.faker)));
  t.checks.expectRefused(await resetPassword(t, account, secret, newPassword(t.faker)), 'invalid');
});

check('ACC-RST-007', async (t) => {
  const account = await t.registerUser();
  await requestResetOk(t, account);
  const next = newPassword(t.faker);
  t.checks.expectRefused(await resetPassword(t, account, await readResetSecret(t, account), next, `${next}x`), 'invalid');
  // A refused reset changes nothing: the old password still logs in.
  t.checks.expectOk(await attemptLogin(t.api, loginId(t.profile, account), account.password));
});

check('ACC-RST-008', async (t) => {
  const unsendable = crossSecretUnsendable(t);
  if (unsendable) throw new NotApplicable(unsendable);
  const [owner, victim] = await Promise.all([t.registerUser(), t.registerUser()]);
  await Promise.all([requestResetOk(t, owner), requestResetOk(t, victim)]);
  const [ownerSecret, victimSecret] = await Promise.all([readResetSecret(t, owner), readResetSecret(t, victim)]);
  if (sameSecret(ownerSecret, victimSecret)) throw new NotApplicable('the server sent both accounts the same code (a finding of ACC-OTP-019), so a code cannot be told apart by account');
  t.checks.expectRefused(await resetPassword(t, victim, crossSecret(ownerSecret, victimSecret), newPassword(t.faker)), 'invalid');
});

/** Three-step resets: request, then trade the code for a reset token. */
async function resetToken(t: CheckContext, account: Account): Promise<string> {
  await requestResetOk(t, account);
  const secret = await readResetSecret(t, account);
  if (!('code' in secret)) throw new Error('a three-step reset starts from a code');
  const verified = await verifyResetCode(t, account, secret.code);
  t.checks.expectOk(verified);
  return resetTokenOf(t, verified);
}

check('ACC-RST-009', async (t) => {
  const account = await t.registerUser();
  const token = await resetToken(t, account);
  t.checks.expectOk(await confirmWithToken(t, token, newPassword(t.faker)));
  t.checks.expectRefused(await confirmWithToken(t, token, newPassword(t.faker)), 'invalid');
});

check('ACC-RST-010', async (t) => {
  const account = await t.registerUser();
  // A real token exists (unused) while a made-up one is presented.
  const real = await resetToken(t, account);
  const madeUp = `${randomBytes(16).toString('hex')}${real.length > 32 ? '' : 'x'}`;
  t.checks.expectRefused(await confirmWithToken(t, madeUp, newPassword(t.faker)), 'invalid');
  t.checks.expectOk(await attemptLogin(t.api, loginId(t.profile, account), account.password));
});
