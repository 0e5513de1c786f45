import { check, type CheckContext } from '../helpers/harness/check.js';
import { expectEqual, expectThat, fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { makePng } from '../helpers/wire/images.js';
import { pointer } from '../helpers/wire/profile.js';
import { expectUserEchoes, loginId, newUserInput, registerFields, tokensOf, userField, type Account } from '../helpers/flows/users.js';

const SECRET_KEY = /pass(word)?|hash|salt/i;
const HASH_VALUE = /^(pbkdf2_sha\d+|argon2(id|i)?|bcrypt(_sha256)?|scrypt|sha\d+|md5)\$|^\$2[aby]\$\d+\$/;

function leaks(value: unknown, password: string, path = ''): string[] {
  if (typeof value === 'string') return value === password || HASH_VALUE.test(value) ? [path || '(root)'] : [];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(SECRET_KEY.test(k) ? [`${path}.${k}`] : []), ...leaks(v, password, `${path}.${k}`)]);
}

function expectNoPassword(ex: Exchange, password: string): void {
  const found = leaks(ex.json, password);
  if (found.length) fail(`the answer carries a password or a password hash at ${found.join(', ')}`, ex);
}

check('ACC-EXP-001', async (t) => {
  const answers = [];
  let account: Account;
  if (t.profile.operations.register) {
    const input = newUserInput(t.faker, t.profile);
    const registered = await t.api.call('register', { fields: registerFields(input) });
    t.checks.expectStepOk(registered, 'register');
    expectNoPassword(registered, input.password);
    account = { ...input, id: '', ...(await t.loginAs(loginId(t.profile, input), input.password)) };
  } else {
    account = await t.registerUser();
  }
  const credential = { token: account.access };
  answers.push(await t.api.call('login', { fields: { username: loginId(t.profile, account), password: account.password } }), await t.api.call('me', { credential }));
  // The update's answer too, where the profile maps a field to change.
  const mapped = t.profile.request.updateProfile ?? {};
  if (t.profile.operations.updateProfile && (mapped.bio || mapped.image)) {
    const image = { filename: 'a.png', contentType: 'image/png', bytes: makePng() };
    answers.push(await t.api.call('updateProfile', { credential, fields: { bio: t.faker.lorem.sentence() }, files: { image } }));
  }
  for (const ex of answers) {
    t.checks.expectOk(ex);
    expectNoPassword(ex, account.password);
  }
});

async function balanceOf(t: CheckContext, token: string): Promise<{ ex: Exchange; balance: unknown }> {
  const ex = await t.api.call('wallet', { credential: { token } });
  t.checks.expectOk(ex);
  return { ex, balance: pointer(t.api.read(ex, 'wallet'), t.profile.wallet.balance) };
}

check('ACC-EXP-002', async (t) => {
  const privileged = { tasksPosted: 99, tasksCompleted: 99, walletBalance: 1_000_000 };
  const input = newUserInput(t.faker, t.profile);
  const registered = await t.api.call('register', { fields: registerFields(input), privileged });
  // Refusing the privileged fields outright is as good as ignoring them, at either step.
  const registrationRefused = await t.checks.refusedForSubject(registered, () => t.api.call('register', { fields: registerFields(newUserInput(t.faker, t.profile)) }), 'the privileged fields');
  if (!registrationRefused) t.checks.expectStepOk(registered, 'register');
  const account = await t.registerUser();
  const updated = await t.api.call('updateProfile', { credential: { token: account.access }, fields: { bio: 'x' }, privileged: { tasksPosted: '99', walletBalance: '1000000' } });
  if (!(await t.checks.refusedForSubject(updated, () => t.api.call('updateProfile', { credential: { token: account.access }, fields: { bio: 'x' } }), 'the privileged fields'))) t.checks.expectOk(updated);
  const me = await t.api.call('me', { credential: { token: account.access } });
  t.checks.expectOk(me);
  expectEqual(me, userField(t.api, t.api.read(me, 'user'), 'tasksPosted'), 0, 'the tasks-posted counter after sending 99 through update_me');
  const after = await balanceOf(t, account.access);
  expectEqual(after.ex, after.balance, 0, 'the wallet balance after sending 1000000 through update_me');
  if (registrationRefused) return;
  const tokens = tokensOf(t.api, registered) ?? (t.profile.registerIssuesTokens === false ? await t.loginAs(loginId(t.profile, input), input.password) : undefined);
  if (!tokens) fail('registration answered without tokens', registered);
  const first = await balanceOf(t, tokens.access);
  expectThat(first.ex, first.balance === 0, `the wallet balance after sending 1000000 at registration is ${JSON.stringify(first.balance)}`);
});

check('ACC-EXP-003', async (t) => {
  const first = await t.registerUser();
  const second = await t.registerUser();
  for (const account of [first, second]) {
    const me = await t.api.call('me', { credential: { token: account.access } });
    t.checks.expectOk(me);
    expectUserEchoes(t.api, me, t.api.read(me, 'user'), account, ['id', 'email', 'username']);
  }
});
