import { check, type CheckContext } from '../helpers/check.js';
import { NotApplicable } from '../helpers/checks.js';
import { wrongCode } from '../helpers/otp.js';
import { attemptLogin, newPassword, type Account } from '../helpers/users.js';

type By = 'phone' | 'email';

async function requestCode(t: CheckContext, account: Account, by: By = 'email'): Promise<void> {
  t.checks.expectOk(await t.api.call('resetRequest', { fields: { identifier: account[by] } }));
}

function readCode(t: CheckContext, account: Account, by: By = 'email'): Promise<string> {
  return t.readOtp({ identifier: account[by], channel: by, purpose: 'reset' });
}

function reset(t: CheckContext, account: Account, code: string, next: string, confirm = next) {
  return t.api.call('resetConfirm', { fields: { identifier: account.email, code, newPassword: next, newPasswordConfirm: confirm } });
}

for (const [id, by] of [['ACC-RST-001', 'phone'], ['ACC-RST-002', 'email']] as const) {
  check(id, async (t) => {
    await requestCode(t, await t.registerUser(), by);
  });
}

check('ACC-RST-003', async (t) => {
  const account = await t.registerUser();
  await requestCode(t, account);
  t.checks.expectOk(await reset(t, account, await readCode(t, account), newPassword(t.faker)));
});

check('ACC-RST-004', async (t) => {
  const account = await t.registerUser();
  await requestCode(t, account);
  const next = newPassword(t.faker);
  t.checks.expectOk(await reset(t, account, await readCode(t, account), next));
  t.checks.expectRefusalStatus(await attemptLogin(t.api, account.email, account.password), 'badCredentials');
  t.checks.expectOk(await attemptLogin(t.api, account.email, next));
});

check('ACC-RST-005', async (t) => {
  const account = await t.registerUser();
  await requestCode(t, account);
  const real = t.otp.available ? await readCode(t, account) : null;
  t.checks.expectRefused(await reset(t, account, wrongCode(real), newPassword(t.faker)), 'invalid');
});

check('ACC-RST-006', async (t) => {
  const account = await t.registerUser();
  await requestCode(t, account);
  const code = await readCode(t, account);
  t.checks.expectOk(await reset(t, account, code, newPassword(t.faker)));
  t.checks.expectRefused(await reset(t, account, code, newPassword(t.faker)), 'invalid');
});

check('ACC-RST-007', async (t) => {
  const account = await t.registerUser();
  await requestCode(t, account);
  const next = newPassword(t.faker);
  t.checks.expectRefused(await reset(t, account, await readCode(t, account), next, `${next}x`), 'invalid');
  // A refused reset changes nothing: the old password still logs in.
  t.checks.expectOk(await attemptLogin(t.api, account.email, account.password));
});

check('ACC-RST-008', async (t) => {
  const [owner, victim] = await Promise.all([t.registerUser(), t.registerUser()]);
  await Promise.all([requestCode(t, owner), requestCode(t, victim)]);
  const [ownerCode, victimCode] = await Promise.all([readCode(t, owner), readCode(t, victim)]);
  if (ownerCode === victimCode) throw new NotApplicable('the OTP source gives both accounts the same code (a fixed test code), so a code cannot be told apart by account');
  t.checks.expectRefused(await reset(t, victim, ownerCode, newPassword(t.faker)), 'invalid');
});
