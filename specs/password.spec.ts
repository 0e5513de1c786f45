import { check, type CheckContext } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import { successStatuses } from '../helpers/wire/profile.js';
import { attemptLogin, loginId, newPassword, shortPassword, type Account } from '../helpers/flows/users.js';

function change(t: CheckContext, account: Account, oldPassword: string, next: string, confirm = next) {
  return t.api.call('changePassword', { credential: { token: account.access }, fields: { oldPassword, newPassword: next, newPasswordConfirm: confirm } });
}

async function changed(t: CheckContext): Promise<{ account: Account; next: string }> {
  const account = await t.registerUser();
  const next = newPassword(t.faker);
  t.checks.expectOk(await change(t, account, account.password, next));
  return { account, next };
}

check('ACC-PWD-001', async (t) => {
  await changed(t);
});

check('ACC-PWD-002', async (t) => {
  const { account } = await changed(t);
  // Log in again rather than reuse the old token: a server may revoke tokens on a password change.
  const ex = await attemptLogin(t.api, loginId(t.profile, account), account.password);
  t.checks.expectRefusalStatus(ex, 'badCredentials');
});

check('ACC-PWD-003', async (t) => {
  const { account, next } = await changed(t);
  t.checks.expectOk(await attemptLogin(t.api, loginId(t.profile, account), next));
});

check('ACC-PWD-004', async (t) => {
  const account = await t.registerUser();
  const next = newPassword(t.faker);
  const ex = await change(t, account, `${account.password}x`, next);
  t.checks.expectRefused(ex, 'invalid');
  t.checks.expectFieldError(ex, t.api.wireName('changePassword', 'oldPassword'));
});

check('ACC-PWD-005', async (t) => {
  const account = await t.registerUser();
  const next = newPassword(t.faker);
  t.checks.expectRefused(await change(t, account, account.password, next, `${next}x`), 'invalid');
});

check('ACC-PWD-006', async (t) => {
  const account = await t.registerUser();
  t.checks.expectRefused(await change(t, account, account.password, shortPassword(t.profile)), 'invalid');
});

check('ACC-PWD-007', async (t) => {
  const account = await t.registerUser();
  const next = newPassword(t.faker);
  // The current password left out (an API that maps none is asked exactly what it takes).
  const ex = await t.api.call('changePassword', { credential: { token: account.access }, fields: { newPassword: next, newPasswordConfirm: next } });
  // Judged by state, not status: the old password still logs in, the new one does not.
  const byNew = await attemptLogin(t.api, loginId(t.profile, account), next);
  if (byNew.status !== null && successStatuses(t.profile, 'login').includes(byNew.status)) fail(`a password change without the current password (answered ${ex.status ?? ex.failure}) took effect: the new password logs in`, ex, byNew);
  t.checks.expectOk(await attemptLogin(t.api, loginId(t.profile, account), account.password));
});
