import { Api } from '../helpers/wire/api.js';
import { check } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import { loginId, newUserInput, registerFields, tokensOf } from '../helpers/flows/users.js';

check('ACC-ENV-001', async (t) => {
  const { api, checks, faker, loginAs } = t;
  let credential: { token: string };
  let login: { username: string; password: string };
  const answers = [];
  if (api.profile.operations.register) {
    // Registration is checked here directly, not as setup: a broken envelope is this check's subject.
    const input = newUserInput(faker, api.profile);
    const registered = await api.call('register', { fields: registerFields(input) });
    checks.expectOk(registered);
    // A dialect whose registration issues no tokens (djoser) is logged in, as its apps do.
    const tokens = tokensOf(api, registered) ?? (api.profile.registerIssuesTokens === false ? await loginAs(loginId(api.profile, input), input.password) : undefined);
    if (!tokens) fail('registration answered without tokens', registered);
    credential = { token: tokens.access };
    login = { username: loginId(api.profile, input), password: input.password };
  } else {
    // An API without registration: a provisioned user, and its login is the first answer checked.
    const account = await t.registerUser();
    credential = { token: account.access };
    login = { username: loginId(api.profile, account), password: account.password };
  }
  answers.push(await api.call('login', { fields: login }));
  for (const op of ['me', 'wallet'] as const) if (api.profile.operations[op]) answers.push(await api.call(op, { credential }));
  for (const ex of answers) checks.expectOk(ex);
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
