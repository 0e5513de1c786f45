import { check, type CheckContext } from '../helpers/harness/check.js';
import { readResetSecret, requestResetOk, resetPassword } from '../helpers/flows/reset.js';
import { newPassword, type Account } from '../helpers/flows/users.js';

async function passwordChanged(t: CheckContext): Promise<Account> {
  const account = await t.registerUser();
  const next = newPassword(t.faker);
  const ex = await t.api.call('changePassword', { credential: { token: account.access }, fields: { oldPassword: account.password, newPassword: next, newPasswordConfirm: next } });
  t.checks.expectOk(ex);
  return account;
}

check('ACC-SES-001', async (t) => {
  const account = await passwordChanged(t);
  t.checks.expectRefusalStatus(await t.api.call('me', { credential: { token: account.access } }), 'unauthorized');
});

check('ACC-SES-002', async (t) => {
  const account = await passwordChanged(t);
  t.checks.expectRefusalStatus(await t.api.call('refresh', { fields: { refresh: account.refresh } }), 'unauthorized');
});

check('ACC-SES-003', async (t) => {
  const account = await t.registerUser();
  await requestResetOk(t, account);
  t.checks.expectOk(await resetPassword(t, account, await readResetSecret(t, account), newPassword(t.faker)));
  t.checks.expectRefusalStatus(await t.api.call('me', { credential: { token: account.access } }), 'unauthorized');
  t.checks.expectRefusalStatus(await t.api.call('refresh', { fields: { refresh: account.refresh } }), 'unauthorized');
});
