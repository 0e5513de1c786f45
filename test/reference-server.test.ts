/**
 * Smoke test of the reference server: the happy paths of every flow the suite's OTP hook and
 * upload checks rely on, against a server booted with the test hooks.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../reference/server.js';

/** A 1×1 PNG: signature, IHDR, IDAT, IEND. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let server: ReferenceServer;

beforeAll(async () => {
  server = await startReferenceServer({ hooks: true });
});

afterAll(async () => {
  await server.close();
});

async function call(method: string, path: string, options: { token?: string; json?: unknown; form?: FormData } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | FormData | undefined = options.form;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const res = await fetch(new URL(path, server.baseUrl), { method, headers, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

async function hookOtp(identifier: string, channel: string, purpose: string): Promise<string> {
  const res = await fetch(new URL(`/__conformance__/otp?${new URLSearchParams({ identifier, channel, purpose })}`, server.origin));
  expect(res.status).toBe(200);
  return ((await res.json()) as { otp: string }).otp;
}

function newAccount() {
  const phone = `92${String(randomInt(1e9)).padStart(10, '0')}`;
  return { phone_number: phone, email: `user.${phone}@example.com`, password: 'SecurePass123', password_confirm: 'SecurePass123', role: 'TASKER', profile: { full_name: 'Jane Doe' } };
}

async function register() {
  const input = newAccount();
  const res = await call('POST', 'auth/register/', { json: input });
  expect(res.status).toBe(201);
  return { input, user: res.body.data.user, tokens: res.body.data.tokens as { access: string; refresh: string } };
}

test('registers, logs in by phone and by email, and reads users/me', async () => {
  const { input, user, tokens } = await register();
  expect(user).toMatchObject({ phone_number: input.phone_number, email: input.email, role: 'TASKER', is_email_verified: false, is_phone_verified: false });
  expect(typeof tokens.access).toBe('string');
  for (const username of [input.phone_number, input.email.toUpperCase()]) {
    const login = await call('POST', 'auth/login/', { json: { username, password: input.password } });
    expect(login.status).toBe(200);
    expect(login.body.success).toBe(true);
    const me = await call('GET', 'users/me/', { token: login.body.data.tokens.access });
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ id: user.id, profile: { full_name: 'Jane Doe' } });
  }
  const wrong = await call('POST', 'auth/login/', { json: { username: input.email, password: 'not-the-password' } });
  expect(wrong.status).toBe(401);
  expect(wrong.body).toMatchObject({ success: false, errors: { non_field_errors: [expect.any(String)] } });
});

test('refuses requests without a valid token and answers unknown paths with the envelope', async () => {
  const none = await call('GET', 'users/me/');
  expect(none.status).toBe(401);
  expect(none.headers.get('www-authenticate')).toContain('Bearer');
  const missing = await call('GET', 'no-such-endpoint/');
  expect(missing.status).toBe(404);
  expect(missing.body.success).toBe(false);
});

test('sends and verifies an email OTP read through the hook', async () => {
  const { input, tokens } = await register();
  expect((await call('POST', 'auth/send-otp/', { token: tokens.access, json: { type: 'email' } })).status).toBe(200);
  const otp = await hookOtp(input.email, 'email', 'verify');
  expect(otp).toMatch(/^\d{6}$/);
  expect((await call('POST', 'auth/verify-otp/', { token: tokens.access, json: { type: 'email', otp } })).status).toBe(200);
  const again = await call('POST', 'auth/verify-otp/', { token: tokens.access, json: { type: 'email', otp } });
  expect(again.status).toBe(400);
  expect(again.body.errors.otp).toBeDefined();
  const me = await call('GET', 'users/me/', { token: tokens.access });
  expect(me.body.data).toMatchObject({ is_email_verified: true, is_phone_verified: false });
});

test('uploads a PNG through multipart and serves it at an absolute URL', async () => {
  const { tokens } = await register();
  const form = new FormData();
  form.append('profile.bio', 'Experienced professional');
  form.append('role', 'BOTH');
  form.append('profile.profile_image', new Blob([PNG], { type: 'image/png' }), 'me.png');
  const res = await call('PUT', 'users/update_me/', { token: tokens.access, form });
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({ role: 'BOTH', profile: { bio: 'Experienced professional' } });
  const url = res.body.data.profile.profile_image as string;
  expect(url.startsWith(`${server.origin}/media/`)).toBe(true);
  const image = await fetch(url);
  expect(image.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);

  const fake = new FormData();
  fake.append('profile.profile_image', new Blob(['not an image'], { type: 'image/png' }), 'fake.png');
  expect((await call('PUT', 'users/update_me/', { token: tokens.access, form: fake })).status).toBe(400);
});

test('resets a password with the code read through the hook', async () => {
  const { input } = await register();
  const sent = await call('POST', 'password-reset/send_otp/', { json: { identifier: input.phone_number } });
  expect(sent.body).toMatchObject({ success: true, data: { message: 'OTP sent successfully' } });
  const otp = await hookOtp(input.phone_number, 'phone', 'reset');
  const reset = { identifier: input.phone_number, otp, new_password: 'BrandNewPass456', new_password_confirm: 'BrandNewPass456' };
  expect((await call('POST', 'password-reset/reset/', { json: reset })).status).toBe(200);
  expect((await call('POST', 'password-reset/reset/', { json: reset })).status).toBe(400);
  expect((await call('POST', 'auth/login/', { json: { username: input.email, password: input.password } })).status).toBe(401);
  expect((await call('POST', 'auth/login/', { json: { username: input.email, password: 'BrandNewPass456' } })).status).toBe(200);
});

test('ten failed logins lock the account (429 with Retry-After, even for the right password) until the clock passes the window', async () => {
  const { input } = await register();
  const login = (password: string) => call('POST', 'auth/login/', { json: { username: input.email, password } });
  for (let i = 0; i < 10; i++) expect((await login('not-the-password')).status).toBe(401);
  const locked = await login(input.password);
  expect(locked.status).toBe(429);
  expect(locked.body.success).toBe(false);
  const retryAfter = Number(locked.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  const clock = await fetch(new URL('/__conformance__/clock', server.origin), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_seconds: retryAfter + 1 }) });
  expect(clock.status).toBe(200);
  expect((await login(input.password)).status).toBe(200);
});

test('of eight simultaneous registrations with one email exactly one succeeds', async () => {
  const input = newAccount();
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => call('POST', 'auth/register/', { json: { ...input, phone_number: `${input.phone_number.slice(0, -1)}${i}` } })));
  expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400, 400, 400, 400, 400, 400]);
  for (const refused of answers.filter((a) => a.status === 400)) expect(refused.body.errors.email).toBeDefined();
});

test('close() resolves, also with an idle keep-alive connection open', async () => {
  const other = await startReferenceServer();
  expect((await fetch(`${other.baseUrl}wallet/`)).status).toBe(401);
  await expect(other.close()).resolves.toBeUndefined();
});
