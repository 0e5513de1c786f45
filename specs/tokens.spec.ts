import { check } from '../helpers/harness/check.js';
import { expectThat, fail } from '../helpers/checks.js';
import { NotApplicable } from '../helpers/outcome.js';
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
  const { header: credentialHeader = 'authorization', scheme = 'Bearer' } = api.profile.auth ?? {};
  if (credentialHeader.toLowerCase() !== 'authorization' || !scheme) {
    throw new NotApplicable(`the ${api.profile.name} profile presents its token in ${credentialHeader}${scheme ? '' : ' without a scheme'}, not an HTTP authentication scheme a challenge could name`);
  }
  const ex = await api.call('me', { credential: null });
  checks.expectRefused(ex, 'unauthorized');
  // RFC 9110 §15.5.2: a 401 carries the challenge; a 403 does not have to.
  if (ex.status !== 401) throw new NotApplicable(`the ${api.profile.name} profile refuses unauthenticated requests with ${ex.status}, which carries no challenge`);
  const header = ex.headers['www-authenticate'];
  const challenged = header !== undefined && new RegExp(`(^|,)\\s*${scheme}\\b`, 'i').test(header);
  expectThat(ex, challenged, `the 401 answer carries ${header === undefined ? 'no WWW-Authenticate header' : `WWW-Authenticate: ${header}`}, not a ${scheme} challenge`);
});
