import { Api } from '../helpers/wire/api.js';
import { check } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import { NotApplicable } from '../helpers/outcome.js';
import { loginId, newUserInput, registerFields, tokensOf } from '../helpers/flows/users.js';

check('ACC-ENV-001', async (t) => {
  const { api, checks, faker } = t;
  const input = newUserInput(faker, api.profile);
  if (api.profile.operations.register) {
    // Registration is checked here directly, not as setup: a broken envelope is this check's subject.
    checks.expectStepOk(await api.call('register', { fields: registerFields(input) }), 'register');
  } else {
    // An API without registration: a user made by the provisioning source (the needs ensure one).
    if (!t.provision) throw new NotApplicable(`the ${api.profile.name} profile has no register operation and no provisioning source makes users`);
    await t.provision(input);
  }
  // The login answer is this check's subject too, not setup; its token reads the current user and wallet.
  const login = await api.call('login', { fields: { username: loginId(api.profile, input), password: input.password } });
  checks.expectStepOk(login, 'login');
  const tokens = tokensOf(api, login);
  if (!tokens) fail('login answered without tokens', login);
  for (const op of ['me', 'wallet'] as const) if (api.profile.operations[op]) checks.expectOk(await api.call(op, { credential: { token: tokens.access } }));
});

check('ACC-ENV-002', async ({ api, checks, faker }) => {
  // A validation error: a registration with a bad email and a short password or, without
  // registration, a login with no fields at all.
  const ex = api.profile.operations.register
    ? await api.call('register', { fields: { email: faker.lorem.word(), password: 'short' } })
    : await api.call('login', { fields: {} });
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
