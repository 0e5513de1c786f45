import { check } from '../helpers/harness/check.js';
import { expectSchema, fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { tamperSignature } from '../helpers/wire/tokens.js';
import type { CheckContext } from '../helpers/harness/check.js';

async function refreshed(t: CheckContext, refresh: string): Promise<{ ex: Exchange; access: string; rotated?: string }> {
  const ex = await t.api.call('refresh', { fields: { refresh } });
  t.checks.expectOk(ex);
  expectSchema(ex, t.api.read(ex, 'refreshData'), t.api.profile.schemas.refreshData, 'data');
  const access = t.api.read(ex, 'refreshAccess');
  if (typeof access !== 'string') fail('the answer carries no new access token', ex);
  const rotated = t.api.read(ex, 'refreshRefresh');
  return { ex, access, rotated: typeof rotated === 'string' ? rotated : undefined };
}

check('ACC-REF-001', async (t) => {
  const account = await t.registerUser();
  await refreshed(t, account.refresh);
});

check('ACC-REF-002', async (t) => {
  const account = await t.registerUser();
  const { access } = await refreshed(t, account.refresh);
  t.checks.expectOk(await t.api.call('me', { credential: { token: access } }));
});

check('ACC-REF-003', async (t) => {
  const account = await t.registerUser();
  const first = await refreshed(t, account.refresh);
  // Rotation is optional: a server that returns no new refresh token passes by not rotating.
  if (first.rotated === undefined) return;
  const again = await t.api.call('refresh', { fields: { refresh: first.rotated } });
  t.checks.expectOk(again);
});

check('ACC-REF-004', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  checks.expectRefused(await api.call('refresh', { fields: { refresh: account.access } }), 'unauthorized');
});

check('ACC-REF-005', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  checks.expectRefused(await api.call('refresh', { fields: { refresh: tamperSignature(account.refresh) } }), 'unauthorized');
});

check('ACC-REF-006', async ({ api, checks }) => {
  for (const garbage of ['not-a-token', 'eyJhbGciOiJIUzI1NiJ9.e30', 'a.b.c']) {
    checks.expectRefused(await api.call('refresh', { fields: { refresh: garbage } }), 'unauthorized');
  }
});
