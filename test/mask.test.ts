import { afterEach, expect, test } from 'vitest';
import { clearSecrets, mask, registerSecret } from '../helpers/wire/mask.js';

afterEach(clearSecrets);

test('a registered secret is masked raw, URL-encoded and base64-encoded', () => {
  const secret = registerSecret('S3cret/Pass+word!');
  const text = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')].join(' ');
  const masked = mask(text);
  expect(masked).not.toContain(secret);
  expect(masked).not.toContain(encodeURIComponent(secret));
  expect(masked).not.toContain(Buffer.from(secret).toString('base64'));
});

test('JSON members and form fields that name a secret are masked without registration', () => {
  const masked = mask('{"password": "hunter22", "otp":"123456", "email":"a@b.c"} old_password=abc123&x=1');
  expect(masked).not.toMatch(/hunter22|123456|abc123/);
  expect(masked).toContain('a@b.c');
});

test('anything shaped like a JWT and any Authorization header value is masked', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoiMSJ9.c2lnbmF0dXJl';
  expect(mask(`token ${jwt}`)).not.toContain(jwt);
  expect(mask("-H 'authorization: Bearer abc.def'")).not.toContain('abc.def');
});

test('short strings are not registered, so masking cannot erase ordinary text', () => {
  registerSecret('a');
  expect(mask('a cat')).toBe('a cat');
});

test('reading tokens at the root of an answer registers the tokens only, not the other members', async () => {
  const { Api } = await import('../helpers/wire/api.js');
  const { HttpClient } = await import('../helpers/wire/http.js');
  const { loadProfile } = await import('../helpers/wire/profile.js');
  const api = new Api(new HttpClient({ timeoutMs: 100, maxBodyBytes: 1024 }), loadProfile('djoser'), 'http://127.0.0.1:9/auth/');
  const json = { access: 'access-token-value', refresh: 'refresh-token-value', email: 'someone@example.com' };
  api.read({ json } as never, 'authTokens');
  expect(mask(JSON.stringify(json))).toBe('{"access":"«masked»","refresh":"«masked»","email":"someone@example.com"}');
  await api.client.close();
});
