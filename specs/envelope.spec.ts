import { Api } from '../helpers/api.js';
import { check } from '../helpers/check.js';
import { fail } from '../helpers/checks.js';
import { newUserInput, registerFields, tokensOf } from '../helpers/users.js';

check('ACC-ENV-001', async ({ api, checks, faker, loginAs }) => {
  // Registration is checked here directly, not as setup: a broken envelope is this check's subject.
  const input = newUserInput(faker, api.profile);
  const registered = await api.call('register', { fields: registerFields(input) });
  checks.expectOk(registered);
  // A dialect whose registration issues no tokens (djoser) is logged in, as its apps do.
  const tokens = tokensOf(api, registered) ?? (api.profile.registerIssuesTokens === false ? await loginAs(input.email, input.password) : undefined);
  if (!tokens) fail('registration answered without tokens', registered);
  const credential = { token: tokens.access };
  const answers = [await api.call('login', { fields: { username: input.email, password: input.password } }), await api.call('me', { credential })];
  if (api.profile.operations.wallet) answers.push(await api.call('wallet', { credential }));
  for (const ex of answers) checks.expectOk(ex);
});

check('ACC-ENV-002', async ({ api, checks, faker }) => {
  const ex = await api.call('register', { fields: { email: faker.lorem.word(), password: 'short' } });
  checks.expectRefused(ex, 'invalid');
});

check('ACC-ENV-003', async ({ api, checks }) => {
  checks.expectRefused(await api.call('me', { credential: null }), 'unauthorized');
});

check('ACC-ENV-004', async ({ api, checks }) => {
  checks.expectRefused(await api.unknownEndpoint(), 'notFound');
});

check('ACC-ENV-005', async ({ api, checks }) => {
  // GET on an operation that only takes POST; a public one, so authentication does not answer first.
  checks.expectRefused(await api.callWithMethod('login', 'GET'), 'methodNotAllowed');
});

check('ACC-ENV-006', async ({ api, checks }) => {
  checks.expectRefused(await api.callRaw('login', Api.raw('username=someone', 'text/plain')), 'unsupportedMediaType');
});

check('ACC-ENV-007', async ({ api, checks }) => {
  checks.expectRefused(await api.callRaw('login', Api.raw('{"username": "someone",', 'application/json')), 'invalid');
});

check('ACC-ENV-008', async ({ api, checks }) => {
  for (const body of ['[1, 2]', '"text"', '42']) {
    checks.expectRefused(await api.callRaw('login', Api.raw(body, 'application/json')), 'invalid');
  }
});
