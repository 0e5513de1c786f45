import { check } from '../helpers/harness/check.js';
import { expectThat, fail } from '../helpers/checks.js';
import { claimsOf } from '../helpers/wire/tokens.js';

const MAX_ACCESS_LIFETIME_S = 3600;

check('ACC-TOK-001', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  const [header, payload, signature = ''] = account.access.split('.');
  const truncated = `${header}.${payload}.${signature.slice(0, Math.floor(signature.length / 2))}`;
  checks.expectRefused(await api.call('me', { credential: { token: truncated } }), 'unauthorized');
});

check('ACC-TOK-002', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  const me = await api.call('me', { credential: { token: account.access } });
  checks.expectOk(me);
  const claims = claimsOf(account.access);
  if (!claims) fail('the access token is not a JWT whose claims can be read, so its lifetime cannot be told', me);
  const { exp, iat } = claims as { exp?: unknown; iat?: unknown };
  if (typeof exp !== 'number') fail('the access token carries no exp claim: it never expires', me);
  const issued = typeof iat === 'number' ? iat : Math.floor(Date.now() / 1000);
  const lifetime = exp - issued;
  expectThat(me, lifetime <= MAX_ACCESS_LIFETIME_S, `the access token lives ${Math.round(lifetime / 60)} minutes (more than ${MAX_ACCESS_LIFETIME_S / 60})`);
});

check('ACC-TOK-003', async ({ api, checks }) => {
  const ex = await api.call('me', { credential: null });
  checks.expectRefused(ex, 'unauthorized');
  const header = ex.headers['www-authenticate'];
  expectThat(ex, header !== undefined && /^bearer\b/i.test(header), `the 401 answer carries ${header === undefined ? 'no WWW-Authenticate header' : `WWW-Authenticate: ${header}`}, not a Bearer challenge`);
});
