import { check } from '../helpers/check.js';
import { expectEqual, expectSchema } from '../helpers/checks.js';
import { userField } from '../helpers/users.js';

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
  const user = api.read(ex, 'user');
  expectEqual(ex, userField(api, user, 'id'), account.id, 'the id');
  expectEqual(ex, userField(api, user, 'phone'), account.phone, 'the phone number');
  expectEqual(ex, String(userField(api, user, 'email')).toLowerCase(), account.email.toLowerCase(), 'the email');
  expectEqual(ex, userField(api, user, 'role'), account.role, 'the role');
  expectEqual(ex, userField(api, user, 'fullName'), account.fullName, 'the full name');
});
