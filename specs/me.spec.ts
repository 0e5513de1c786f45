import { check } from '../helpers/harness/check.js';
import { expectSchema } from '../helpers/checks.js';
import { expectUserEchoes } from '../helpers/flows/users.js';

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
  // A provisioned user's other fields are whatever the provisioning source stored.
  // A registered user's fields are those the registration sent (a profile whose register maps no phone sent none).
  const sent = (['phone', 'email', 'role', 'fullName', 'username', 'firstName', 'lastName'] as const).filter((f) => api.profile.request.register?.[f] !== undefined);
  const fields = account.provisioned ? (['id', 'email', 'username'] as const) : (['id', ...sent] as const);
  expectUserEchoes(api, ex, api.read(ex, 'user'), account, fields);
});
