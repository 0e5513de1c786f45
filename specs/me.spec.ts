import { check } from '../helpers/check.js';
import { expectSchema } from '../helpers/checks.js';
import { expectUserEchoes } from '../helpers/users.js';

check('ACC-ME-001', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  const ex = await api.call('me', { credential: { token: account.access } });
  checks.expectOk(ex);
  expectSchema(ex, api.read(ex, 'user'), api.profile.schemas.user, 'data');
});

check('ACC-ME-002', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  const ex = await api.call('me', { credential: { token: account.access } });
  checks.expectOk(ex);
  expectUserEchoes(api, ex, api.read(ex, 'user'), account, ['id', 'phone', 'email', 'role', 'fullName', 'username', 'firstName', 'lastName']);
});
