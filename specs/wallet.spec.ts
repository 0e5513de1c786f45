import { check } from '../helpers/harness/check.js';
import { expectSchema, expectThat } from '../helpers/checks.js';
import { pointer } from '../helpers/wire/profile.js';

check('ACC-WAL-001', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  const ex = await api.call('wallet', { credential: { token: account.access } });
  checks.expectOk(ex);
  const wallet = api.read(ex, 'wallet');
  expectSchema(ex, wallet, api.profile.schemas.wallet, 'data');
  const balance = pointer(wallet, api.profile.wallet.balance);
  expectThat(ex, typeof balance === 'number' && balance >= 0, `a new wallet's balance should be at least 0, got ${JSON.stringify(balance)}`);
});

check('ACC-WAL-002', async ({ api, checks, registerUser }) => {
  const [first, second] = await Promise.all([registerUser(), registerUser()]);
  const [a, b] = await Promise.all([first, second].map((u) => api.call('wallet', { credential: { token: u.access } })));
  if (!a || !b) throw new Error('two wallet answers expected');
  checks.expectOk(a);
  checks.expectOk(b);
  const idA = pointer(api.read(a, 'wallet'), api.profile.wallet.id);
  const idB = pointer(api.read(b, 'wallet'), api.profile.wallet.id);
  expectThat(b, idA !== idB, `two users were shown the same wallet (id ${JSON.stringify(idA)})`);
});

check('ACC-WAL-003', async ({ api, checks }) => {
  checks.expectRefused(await api.call('wallet', { credential: null }), 'unauthorized');
});
