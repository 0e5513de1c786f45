import { check, type CheckContext } from '../helpers/check.js';
import { newPassword, type Account } from '../helpers/users.js';

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
  t.checks.expectOk(await t.api.call('resetRequest', { fields: { identifier: account.email } }));
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'reset' });
  const next = newPassword(t.faker);
  t.checks.expectOk(await t.api.call('resetConfirm', { fields: { identifier: account.email, code, newPassword: next, newPasswordConfirm: next } }));
  t.checks.expectRefusalStatus(await t.api.call('me', { credential: { token: account.access } }), 'unauthorized');
  t.checks.expectRefusalStatus(await t.api.call('refresh', { fields: { refresh: account.refresh } }), 'unauthorized');
});
