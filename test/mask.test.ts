import { afterEach, expect, test } from 'vitest';
import { clearSecrets, mask, registerCredentialsIn, registerSecret } from '../helpers/wire/mask.js';

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

// Names that hold a credential, in the spellings real APIs use: the value never shows.
const SECRET_MEMBERS = [
  'sessionToken', 'session_token', 'SessionToken', 'sessiontoken', 'session-token', 'SESSION_TOKEN', 'api_key', 'apiKey', 'APIKey', 'apikey',
  'x-api-key', 'refreshToken', 'refresh_token', 'access_token', 'accessToken', 'id_token', 'X-Parse-Session-Token', 'X-Parse-REST-API-Key',
  'client_secret', 'clientSecret', 'secret', 'password', 'new_password1', 're_new_password', 'currentPassword', 'passwd', 'pwd', 'jwt',
  'cookie', 'session', 'session_id', 'sessionId', 'sid', 'otp', 'otp_code', 'otpCode', 'auth_code', 'authorizationCode', 'token',
  'access', 'refresh', 'reset_token', 'csrftoken', 'pin', 'credentials', 'password_confirm',
];

test.each(SECRET_MEMBERS)('a JSON member, form field and query parameter named %s is masked without registration', (name) => {
  const value = 'Zq7vK2pX9wLm4';
  const masked = mask(`{"${name}": "${value}", "email": "a@b.c"}\n${name}=${value}&page=2\n{"${name}":48213977}`);
  expect(masked).not.toContain(value);
  expect(masked).not.toContain('48213977');
  expect(masked).toContain('"email": "a@b.c"');
  expect(masked).toContain('page=2');
});

// Names that only look like one, or describe a credential without holding it: evidence, kept.
const PLAIN_MEMBERS = ['keys', 'monkey', 'keyboard', 'hockey', 'token_type', 'tokenType', 'expires_in', 'session_expires_at', 'otp_length', 'password_errors', 'email', 'uid', 'id', 'user_id', 'message', 'detail', 'username', 'passed', 'bypass'];

test.each(PLAIN_MEMBERS)('a member named %s is not masked', (name) => {
  const text = `{"${name}": "Zq7vK2pX9wLm4", "n": 1}\n?${name}=Zq7vK2pX9wLm4&x=1`;
  expect(mask(text)).toBe(text);
});

test.each([
  ['"code": "UNAUTHORIZED"'],
  ['"code": 101'],
  ['"code": 209'],
  ['"error_code": "INVALID"'],
  ['"error_code": "AUTH_401"'],
  ['"errorCode": "VALIDATION_ERROR"'],
  ['"code": "token_not_valid"'],
  ['"code": "AUTH401"'],
  ['"status_code": 4010'],
  ['"country_code": "9211"'],
  ['"code": "invalid"'],
])('an error code stays visible: %s', (member) => {
  const text = `{"message": "Invalid session token.", ${member}, "success": false}`;
  expect(mask(text)).toBe(text);
});

test.each([['"code": "483920"'], ['"code": 483920'], ['"verification_code": "4839"'], ['"smsCode": "a7k2m9"'], ['"code": "X7K2P9"']])('a one-time code under a code member is masked: %s', (member) => {
  expect(mask(`{${member}}`)).not.toMatch(/483920|4839|a7k2m9|X7K2P9/);
});

test('a sentence under a secret name is a message about the field, not the secret', () => {
  const text = '{"password": "This password is too short.", "token": ["Token is invalid or expired"]}';
  expect(mask(text)).toBe(text);
});

test.each([
  ['Set-Cookie: sid=Zq7vK2pX9wLm4; Path=/; HttpOnly'],
  ['Cookie: sid=Zq7vK2pX9wLm4; theme=dark'],
  ['Authorization: Token Zq7vK2pX9wLm4'],
  ['Proxy-Authorization: Basic Zq7vK2pX9wLm4'],
  ['X-Parse-Session-Token: Zq7vK2pX9wLm4'],
  ['X-Parse-REST-API-Key: Zq7vK2pX9wLm4'],
  ['X-Api-Key: Zq7vK2pX9wLm4'],
  ['x-auth-token: Zq7vK2pX9wLm4'],
  ['X-Session-Id: Zq7vK2pX9wLm4'],
  ['x-client-secret: Zq7vK2pX9wLm4'],
  ['  token: Zq7vK2pX9wLm4'],
])('a credential header is masked on a line of its own and in a curl line: %s', (header) => {
  expect(mask(`← 200\n${header}\nnext line`)).toMatch(/: «masked»\nnext line$/);
  const curl = mask(`curl -sS -X GET 'http://h/' -H '${header.trim()}' -H 'accept: application/json'`);
  expect(curl).not.toContain('Zq7vK2pX9wLm4');
  expect(curl).toContain("-H 'accept: application/json'");
});

test('headers that are evidence stay visible', () => {
  const text = 'www-authenticate: Bearer realm="api", error="invalid_token"\nretry-after: 3\nx-request-id: 42\nContent-Type: application/json';
  expect(mask(text)).toBe(text);
});

test('secrets in URLs are masked: a query token, a nested reset link, a Parse session token anywhere', () => {
  const masked = mask(
    [
      "curl 'http://h/reset/?uid=MQ&token=c0ffee-12ab&lang=en'",
      'next=https%3A%2F%2Fapp%2Freset%3Fuid%3DMQ%26token%3Dc0ffee34ab%26x%3D1',
      'the session r:0123456789abcdef0123456789abcdef expired',
    ].join('\n'),
  );
  expect(masked).not.toMatch(/c0ffee|0123456789abcdef/);
  expect(masked).toContain('uid=MQ');
  expect(masked).toContain('lang=en');
  expect(masked).toContain('uid%3DMQ%26token%3D«masked»%26x%3D1');
});

test('a body cut off inside a secret keeps the evidence lines after it', async () => {
  const { renderExchange } = await import('../helpers/wire/http.js');
  const { jsonBody } = await import('../helpers/wire/bodies.js');
  const secret = 'Zq7vK2pX9wLm4Zq7vK2pX9wLm4Zq7vK2pX9wLm4';
  // The display clip (1500 characters) falls inside the sessionToken's value.
  const text = JSON.stringify({ detail: 'x'.repeat(1470), sessionToken: secret, code: 'UNAUTHORIZED' });
  const request = { method: 'POST', url: 'http://h/login/', headers: { accept: 'application/json' }, body: jsonBody({ email: 'a@example.com', password: 'hunter2hunter2' }) };
  const ex = { request, status: 401, headers: {}, contentType: 'application/json', text, json: JSON.parse(text), bytes: Buffer.from(text), durationMs: 3 };
  const rendered = renderExchange(ex);
  const lines = rendered.split('\n');
  expect(rendered).not.toContain(secret.slice(0, 8));
  expect(lines.at(-2)).toMatch(/"sessionToken":"«masked»… \(\d+ more characters\)$/);
  expect(lines.at(-1)).toBe(`Reproduce with: curl -sS -X POST 'http://h/login/' -H 'accept: application/json' --data-raw '{"email":"a@example.com","password":"«masked»"}'`);
  // The same, as a failure message with more evidence after it.
  const message = mask(`${rendered}\n${rendered}\nthe second answer was {"code": "UNAUTHORIZED"}`);
  expect(message.split('\n')).toHaveLength(lines.length * 2 + 1);
  expect(message).toMatch(/the second answer was \{"code": "UNAUTHORIZED"\}$/);
});

test('credentials an answer hands out are registered by role, so they stay masked without their name', () => {
  registerCredentialsIn({ data: { sessionToken: 'r:0123456789abcdef0123456789abcdef', apiKey: 'ak_live_5f3c9e21aa', email: 'someone@example.com', token_type: 'Bearer' } }, { 'set-cookie': 'sid=Q2h9vX3kLm8pZr4T; Path=/; HttpOnly', 'x-session-token': 'tok_9f8e7d6c5b4a' });
  const masked = mask('seen ak_live_5f3c9e21aa, Q2h9vX3kLm8pZr4T and tok_9f8e7d6c5b4a; Bearer someone@example.com');
  expect(masked).toBe('seen «masked», «masked» and «masked»; Bearer someone@example.com');
});

test('an exchange shows which credentials it sent, masked in its header lines and in its curl line', async () => {
  const { renderExchange } = await import('../helpers/wire/http.js');
  const headers = { accept: 'application/json', authorization: 'Token Zq7vK2pX9wLm4', 'x-parse-session-token': 'r:Zq7vK2pX9wLm4', 'x-parse-rest-api-key': 'Zq7vK2pX9wLm5', cookie: 'sid=Zq7vK2pX9wLm6' };
  const ex = { request: { method: 'GET', url: 'http://h/users/me', headers }, status: 401, headers: {}, contentType: 'application/json', text: '{"code":"UNAUTHORIZED"}', json: { code: 'UNAUTHORIZED' }, bytes: Buffer.alloc(0), durationMs: 3 };
  const rendered = renderExchange(ex);
  expect(rendered).not.toMatch(/Zq7vK2pX9wLm/);
  for (const name of ['authorization', 'x-parse-session-token', 'x-parse-rest-api-key', 'cookie']) {
    expect(rendered).toContain(`\n  ${name}: «masked»\n`);
    expect(rendered).toContain(`-H '${name}: «masked»'`);
  }
  expect(rendered).toContain('{"code":"UNAUTHORIZED"}');
  expect(rendered).toContain("-H 'accept: application/json'");
});

test('a refresh token in a cookie is masked in the HAR: the Cookie it was sent in, the Set-Cookie that handed it out, and wherever it shows later', async () => {
  const { maskEntry } = await import('../cli/har.js');
  const { setCookieValue } = await import('../helpers/wire/cookies.js');
  const refresh = 'rt_9f8e7d6c5b4a39281706f5e4';
  const rotated = 'rt_0a1b2c3d4e5f60718293a4b5';
  const setCookie = `theme=dark; Path=/, refresh_token=${rotated}; Path=/api/v1/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; SameSite=Lax`;
  // What the suite reads from the answer, it registers (tokensOf, Api.read); the rest is masked by the header's name.
  expect(setCookieValue({ 'set-cookie': setCookie }, 'refresh_token')).toBe(rotated);
  registerCredentialsIn(undefined, { 'set-cookie': setCookie });
  const entry = {
    request: { url: 'http://h/api/v1/auth/refresh/', headers: [{ name: 'cookie', value: `refresh_token=${refresh}` }, { name: 'accept', value: 'application/json' }], queryString: [], postData: { text: '{}' } },
    response: { headers: [{ name: 'set-cookie', value: setCookie }, { name: 'content-type', value: 'application/json' }], content: { text: `{"detail": "seen ${rotated}"}` }, redirectURL: '' },
  };
  const masked = JSON.stringify(maskEntry(entry));
  expect(masked).not.toContain(refresh);
  expect(masked).not.toContain(rotated);
  expect(masked).toContain('{"name":"cookie","value":"«masked»"}');
  expect(masked).toContain('{"name":"set-cookie","value":"«masked»"}');
  expect(masked).toContain('{"name":"accept","value":"application/json"}');
});

test('a cleared cookie gives no value, and a cookie is found after an Expires date, never inside an attribute', async () => {
  const { setCookieValue } = await import('../helpers/wire/cookies.js');
  expect(setCookieValue({ 'set-cookie': 'refresh_token=; Path=/; Max-Age=0' }, 'refresh_token')).toBeUndefined();
  expect(setCookieValue({ 'set-cookie': 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, refresh_token="abc123def"; HttpOnly' }, 'refresh_token')).toBe('abc123def');
  expect(setCookieValue({ 'set-cookie': 'a=1; xrefresh_token=nope' }, 'refresh_token')).toBeUndefined();
  expect(setCookieValue({}, 'refresh_token')).toBeUndefined();
});
