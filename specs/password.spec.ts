import { check, type CheckContext } from '../helpers/harness/check.js';
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
