import { check, type CheckContext } from '../helpers/harness/check.js';
import { loginId, type Account } from '../helpers/flows/users.js';

function logout(t: CheckContext, account: Account, credential: { token: string } | null = { token: account.access }) {
  return t.api.call('logout', { credential, fields: { refresh: account.refresh } });
}

check('ACC-OUT-001', async (t) => {
  const account = await t.registerUser();
  t.checks.expectOk(await logout(t, account));
});

check('ACC-OUT-002', async (t) => {
  const account = await t.registerUser();
  // A second session proves refresh works for this user (a refusal afterwards is the logout's
  // doing) without spending the first session's token, which a rotating server would retire.
  const second = await t.loginAs(loginId(t.profile, account), account.password);
  t.checks.expectOk(await t.api.call('refresh', { fields: { refresh: second.refresh } }));
  t.checks.expectOk(await logout(t, account));
  t.checks.expectRefused(await t.api.call('refresh', { fields: { refresh: account.refresh } }), 'unauthorized');
});

check('ACC-OUT-003', async (t) => {
  const account = await t.registerUser();
  t.checks.expectRefused(await logout(t, account, null), 'unauthorized');
  // Refused means refused: the refresh token still works.
  t.checks.expectOk(await t.api.call('refresh', { fields: { refresh: account.refresh } }));
});

check('ACC-OUT-004', async (t) => {
  const account = await t.registerUser();
  const credential = { token: account.access };
  // The session works before the logout: a refusal afterwards is the logout's doing.
  t.checks.expectOk(await t.api.call('me', { credential }));
  t.checks.expectOk(await t.api.call('logout', { credential }));
  t.checks.expectRefused(await t.api.call('me', { credential }), 'unauthorized');
});
