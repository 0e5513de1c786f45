import { check } from '../helpers/check.js';
import { expectEqual, expectSchema, expectThat } from '../helpers/checks.js';
import { newPassword, tokensOf, uniqueEmail, userField } from '../helpers/users.js';

for (const [id, by] of [['ACC-LOG-001', 'phone'], ['ACC-LOG-002', 'email']] as const) {
  check(id, async ({ api, checks, registerUser }) => {
    const account = await registerUser();
    const ex = await api.call('login', { fields: { username: account[by], password: account.password } });
    checks.expectOk(ex);
    expectSchema(ex, api.read(ex, 'authData'), api.profile.schemas.authData, 'data');
    expectThat(ex, tokensOf(api, ex) !== undefined, 'the answer carries no access and refresh tokens');
    expectEqual(ex, userField(api, api.read(ex, 'authUser'), 'id'), account.id, 'the id of the logged-in user');
  });
}

check('ACC-LOG-003', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  const ex = await api.call('login', { fields: { username: account.email, password: `${account.password}x` }, retryOnRateLimit: false });
  checks.expectRefused(ex, 'badCredentials');
});

check('ACC-LOG-004', async ({ api, checks, faker }) => {
  const ex = await api.call('login', { fields: { username: uniqueEmail(faker), password: newPassword(faker) }, retryOnRateLimit: false });
  checks.expectRefused(ex, 'badCredentials');
});

check('ACC-LOG-005', async ({ api, checks, registerUser, loginAs }) => {
  const account = await registerUser();
  const tokens = await loginAs(account.phone, account.password);
  const ex = await api.call('me', { credential: { token: tokens.access } });
  checks.expectOk(ex);
  expectEqual(ex, userField(api, api.read(ex, 'user'), 'id'), account.id, 'the id of the user the token belongs to');
});
