import { check } from '../helpers/harness/check.js';
import { expectSchema, expectThat } from '../helpers/checks.js';
import { attemptLogin, expectUserEchoes, loginId, newPassword, tokensOf, uniqueEmail } from '../helpers/flows/users.js';

for (const [id, by] of [['ACC-LOG-001', 'phone'], ['ACC-LOG-002', 'email'], ['ACC-LOG-006', 'username']] as const) {
  check(id, async ({ api, checks, registerUser }) => {
    const account = await registerUser();
    const ex = await api.call('login', { fields: { username: account[by], password: account.password } });
    checks.expectOk(ex);
    expectSchema(ex, api.read(ex, 'loginData'), api.profile.schemas.loginData, 'data');
    expectThat(ex, tokensOf(api, ex) !== undefined, 'the answer carries no access and refresh tokens');
    // Dialects whose login answers only tokens (simplejwt's TokenObtainPairView) have no user to compare.
    if (api.profile.response.loginUser) expectUserEchoes(api, ex, api.read(ex, 'loginUser'), account, ['id', 'username']);
  });
}

check('ACC-LOG-003', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  const ex = await attemptLogin(api, loginId(api.profile, account), `${account.password}x`);
  checks.expectRefused(ex, 'badCredentials');
});

check('ACC-LOG-004', async ({ api, checks, faker }) => {
  const ex = await attemptLogin(api, uniqueEmail(faker), newPassword(faker));
  checks.expectRefused(ex, 'badCredentials');
});

check('ACC-LOG-005', async ({ api, checks, registerUser, loginAs }) => {
  const account = await registerUser();
  const tokens = await loginAs(loginId(api.profile, account), account.password);
  const ex = await api.call('me', { credential: { token: tokens.access } });
  checks.expectOk(ex);
  expectUserEchoes(api, ex, api.read(ex, 'user'), account, ['id']);
});
