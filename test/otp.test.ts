import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpClient } from '../helpers/wire/http.js';
import { otpReader } from '../helpers/flows/otp.js';
import { codeFromBody, describeOtpSource, expandTemplate, parseOtpSource, resolveOtpSource, tokenFromText } from '../helpers/flows/otp-sources.js';
import { parseProvision, resolveProvision } from '../helpers/flows/provision-source.js';
import { onTarget } from '../helpers/flows/sources.js';

const client = new HttpClient({ timeoutMs: 2000, maxBodyBytes: 65536 });
const req = { identifier: 'a+b@example.com', channel: 'email', purpose: 'verify' } as const;
let server: Server;
let origin: string;
const seen: string[] = [];

/** A Parse Server reset mail as its test mail adapter records it. */
const PARSE_RESET_MAIL = {
  to: 'a@b.c',
  subject: 'Password Reset for app',
  text: 'Hi,\n\nYou requested to reset your password for app.\n\nClick here to reset it:\nhttp://127.0.0.1:1337/parse/apps/APPID/choose_password?token=XYZ&id=APPID&username=a%40b.c',
  link: 'http://127.0.0.1:1337/parse/apps/APPID/choose_password?token=XYZ&id=APPID&username=a%40b.c',
  kind: 'passwordReset',
};
/** An outbox answered as a list, oldest first: the latest for the recipient and purpose answers. */
const MAIL_LIST = [
  { to: 'a@b.c', kind: 'passwordReset', urls: ['https://app.example/reset?token=Old-token-000000'] },
  { to: 'a@b.c', kind: 'passwordReset', urls: ['https://app.example/reset?token=New-token-111111'] },
  { to: 'a@b.c', kind: 'verification', urls: ['https://app.example/verify?token=Verify-token-2222'] },
  { to: 'z@b.c', kind: 'passwordReset', urls: ['https://app.example/reset?token=Other-token-3333'] },
];

beforeAll(async () => {
  server = createServer((r, res) => {
    seen.push(r.url ?? '');
    if (r.url?.startsWith('/json')) return void res.setHeader('content-type', 'application/json').end('{"otp":"654321","sent_at":"now"}');
    if (r.url?.startsWith('/text')) return void res.end('Your code is 112233.');
    if (r.url?.startsWith('/mailpit/api/v1/search')) return void res.setHeader('content-type', 'application/json').end('{"messages":[{"ID":"m1"}]}');
    if (r.url === '/mailpit/api/v1/message/m1') return void res.setHeader('content-type', 'application/json').end('{"Text":"Reset code: 556677"}');
    // A hook answering the mail itself, a list of mails, or the token under data.
    if (r.url?.startsWith('/mail-record')) return void res.setHeader('content-type', 'application/json').end(JSON.stringify(PARSE_RESET_MAIL));
    if (r.url?.startsWith('/mail-list')) return void res.setHeader('content-type', 'application/json').end(JSON.stringify(MAIL_LIST));
    if (r.url?.startsWith('/token-data')) return void res.setHeader('content-type', 'application/json').end('{"data":{"token":"Tk-data-0123456789"}}');
    if (r.url?.startsWith('/otp-record')) return void res.setHeader('content-type', 'application/json').end('{"kind":"otp","to":"a+b@example.com","token":"908172"}');
    res.statusCode = 404;
    res.end('no code');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await client.close();
  server.close();
});

describe('OTP sources', () => {
  test('placeholders are URL-encoded and a relative template resolves against the target', () => {
    expect(expandTemplate(onTarget('/otp?to={identifier}&c={channel}&p={purpose}', 'http://h:1/api/'), req)).toBe('http://h:1/otp?to=a%2Bb%40example.com&c=email&p=verify');
    expect(expandTemplate(onTarget('/otp/{identifier}', 'http://h:1/api/'), req)).toBe('http://h:1/otp/a%2Bb%40example.com');
    expect(onTarget('http://other:2/otp?to={identifier}', 'http://h:1/api/')).toBe('http://other:2/otp?to={identifier}');
  });

  test('hooks given as paths resolve against the target; absolute URLs and other kinds stay as given', () => {
    expect(resolveOtpSource(parseOtpSource('http:/__conformance__/otp?identifier={identifier}'), 'http://h:1/api/v1/')).toEqual({ kind: 'http', template: 'http://h:1/__conformance__/otp?identifier={identifier}' });
    expect(resolveOtpSource(parseOtpSource('file:/tmp/outbox.jsonl'), 'http://h:1/api/')).toEqual({ kind: 'file', path: '/tmp/outbox.jsonl' });
    expect(resolveProvision(parseProvision('http:/__conformance__/users'), 'http://h:1/api/')).toEqual({ kind: 'http', url: 'http://h:1/__conformance__/users' });
    expect(resolveProvision(parseProvision('command:/bin/make-user'), 'http://h:1/api/')).toEqual({ kind: 'command', command: '/bin/make-user' });
    expect(onTarget('/__conformance__/clock', 'http://h:1/api/')).toBe('http://h:1/__conformance__/clock');
  });

  test.each([
    { option: 'fixed:424242', description: 'fixed code' },
    { option: 'http:/otp?to={identifier}', description: 'http /otp' },
    { option: 'command:cat /tmp/otp', description: 'command' },
    { option: 'file:/tmp/outbox.jsonl', description: 'outbox file /tmp/outbox.jsonl' },
    { option: 'mailpit:http://127.0.0.1:8025', description: 'Mailpit at http://127.0.0.1:8025' },
  ])('the $option source is described in the reports as "$description", never with a code', ({ option, description }) => {
    expect(describeOtpSource(parseOtpSource(option))).toBe(description);
  });

  test('a JSON answer or a text body gives the code', () => {
    expect(codeFromBody('', { otp: '123456' })).toBe('123456');
    expect(codeFromBody('code: 987654', undefined)).toBe('987654');
    expect(codeFromBody('nothing here', undefined)).toBeNull();
    expect(codeFromBody('', { data: { code: 4321 } })).toBe('4321');
    // A JSON answer without a code holds none: its timestamp is not one.
    expect(codeFromBody('{"sent_at": 1733133333, "id": 998877}', { sent_at: 1733133333, id: 998877 })).toBeNull();
  });

  test('fixed: always the same code', async () => {
    expect(await otpReader({ kind: 'fixed', code: '424242' }, client, 1000).read(req)).toBe('424242');
  });

  test('http: JSON and text answers', async () => {
    expect(await otpReader(resolveOtpSource({ kind: 'http', template: '/json?to={identifier}' }, origin), client, 1000).read(req)).toBe('654321');
    expect(await otpReader({ kind: 'http', template: `${origin}/text` }, client, 1000).read(req)).toBe('112233');
    expect(seen).toContain('/json?to=a%2Bb%40example.com');
  });

  test('http: no code is an OtpUnavailable naming the channel and purpose', async () => {
    await expect(otpReader(resolveOtpSource({ kind: 'http', template: '/missing' }, origin), client, 1000).read(req)).rejects.toThrow(/no code for email verify \(HTTP 404\)/);
  });

  test('command: gets the OTP variables and prints the code', async () => {
    const reader = otpReader({ kind: 'command', command: 'test "$OTP_CHANNEL/$OTP_PURPOSE" = email/verify && echo 778899' }, client, 2000);
    expect(await reader.read(req)).toBe('778899');
    await expect(otpReader({ kind: 'command', command: 'exit 3' }, client, 2000).read(req)).rejects.toThrow(/OTP command failed/);
  });

  test('command: polled until it prints a code, as a mail may arrive a moment after the send', async () => {
    const flag = join(mkdtempSync(join(tmpdir(), 'otp-cmd-')), 'arrived');
    setTimeout(() => writeFileSync(flag, ''), 400);
    const reader = otpReader({ kind: 'command', command: `test -f ${flag} && echo 445566` }, client, 2000);
    await expect(reader.read(req)).resolves.toBe('445566');
  });

  test('file: the latest outbox line for the recipient and purpose', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acc-outbox-'));
    const path = join(dir, 'outbox.jsonl');
    const lines = [
      { to: 'a+b@example.com', kind: 'verify', otp: '111111' },
      { to: 'someone@example.com', kind: 'verify', otp: '222222' },
      'not json',
      { to: ['A+B@example.com'], kind: 'verify', body: 'Your code is 333333' },
      { to: 'a+b@example.com', kind: 'reset', otp: '444444' },
    ];
    writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
    const reader = otpReader({ kind: 'file', path }, client, 1000);
    expect(await reader.read(req)).toBe('333333');
    expect(await reader.read({ ...req, purpose: 'reset' })).toBe('444444');
    await expect(reader.read({ ...req, identifier: 'nobody@example.com' })).rejects.toThrow(/no message .* in the outbox/);
  });

  test('file: a reset mail gives its uid and token, as fields or from its link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acc-outbox-'));
    const path = join(dir, 'outbox.jsonl');
    const lines = [
      { to: 'a+b@example.com', kind: 'reset', uid: 'MQ', token: 'cbd1-0a1b2c3d' },
      { to: 'c@example.com', kind: 'reset', body: 'Reset it here:\nhttp://127.0.0.1:8000/reset/Mg/cbd2-99aa88bb.\nThanks' },
    ];
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
    const reader = otpReader({ kind: 'file', path }, client, 1000);
    expect(await reader.readLink({ ...req, purpose: 'reset' })).toEqual({ uid: 'MQ', token: 'cbd1-0a1b2c3d' });
    expect(await reader.readLink({ ...req, identifier: 'c@example.com', purpose: 'reset' })).toEqual({ uid: 'Mg', token: 'cbd2-99aa88bb' });
    await expect(otpReader({ kind: 'fixed', code: '123456' }, client, 1000).readLink(req)).rejects.toThrow(/gives codes, not the uid and token/);
  });

  test('a reset link gives its one token: named in the query string or fragment, else the path or fragment that is token-shaped', () => {
    expect(tokenFromText('Click: http://127.0.0.1:1337/parse/apps/APPID/choose_password?token=XYZ&id=APPID&username=a%40b.c.')).toBe('XYZ');
    expect(tokenFromText('<a href="https://app.example/reset?username=bob&amp;reset_token=Ab%2BC-12">reset</a>')).toBe('Ab+C-12');
    expect(tokenFromText('https://app.example/#/auth/reset?token=fr4gment-token')).toBe('fr4gment-token');
    expect(tokenFromText('https://app.example/reset#token=hash-token-1')).toBe('hash-token-1');
    expect(tokenFromText('https://app.example/reset#Q2hhbmdlTWUxMjM0NTY3')).toBe('Q2hhbmdlTWUxMjM0NTY3');
    expect(tokenFromText('Open https://app.example/reset-password/9f86d081884c7d659a2feaa0c55ad015 now')).toBe('9f86d081884c7d659a2feaa0c55ad015');
    // A named token wins over a token-shaped path seen first; words of a route are no token.
    expect(tokenFromText('https://cdn.example/img/Logo2024Banner_v2x.png then https://app.example/r?token=named-1')).toBe('named-1');
    expect(tokenFromText('https://app.example/account/choose_password')).toBeNull();
    expect(tokenFromText('no link here, token 123456')).toBeNull();
  });

  test('file: a Parse Server reset mail gives token XYZ for its recipient, for a reset and not a verification', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'acc-outbox-')), 'outbox.jsonl');
    writeFileSync(path, `${JSON.stringify(PARSE_RESET_MAIL)}\n`);
    const reader = otpReader({ kind: 'file', path }, client, 1000);
    const reset = { identifier: 'a@b.c', channel: 'email', purpose: 'reset' } as const;
    expect(await reader.readToken(reset)).toBe('XYZ');
    await expect(reader.readToken({ ...reset, purpose: 'verify' })).rejects.toThrow(/no message .* for verify with a token in the outbox/);
    // A recipient whose address merely contains the identifier is another one.
    await expect(reader.readToken({ ...reset, identifier: 'b@b.c' })).rejects.toThrow(/no message/);
  });

  test('file: records with the token itself, a list of urls, a subject or kind names; each chosen by recipient and purpose', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'acc-outbox-')), 'outbox.jsonl');
    const lines = [
      { to: [{ name: 'Bob', address: 'bob@x.io' }], kind: 'passwordReset', token: 'field-token-0001' },
      { to: 'Bob <bob@x.io>', kind: 'verification', urls: ['https://x.io/home', 'https://x.io/verify?token=verify-token-0002'], text: 'Your code is 135790' },
      { to: 'bbob@x.io', subject: 'Reset your password', urls: ['https://x.io/reset?token=not-bobs-token-3'] },
      { to: 'carol@x.io', subject: 'Password Reset for app', html: '<p><a href="https://x.io/choose_password?token=carol-token-4&amp;username=carol%40x.io">Reset</a></p>' },
      { to: 'carol@x.io', kind: 'otp', code: '246810' },
      { to: 'dave@x.io', kind: 'welcome', text: 'Welcome! Your member number is 55555555' },
    ];
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
    const reader = otpReader({ kind: 'file', path }, client, 1000);
    const bob = { identifier: 'bob@x.io', channel: 'email', purpose: 'reset' } as const;
    expect(await reader.readToken(bob)).toBe('field-token-0001');
    expect(await reader.readToken({ ...bob, purpose: 'verify' })).toBe('verify-token-0002');
    expect(await reader.read({ ...bob, purpose: 'verify' })).toBe('135790');
    expect(await reader.readToken({ ...bob, identifier: 'carol@x.io' })).toBe('carol-token-4');
    expect(await reader.read({ ...bob, identifier: 'carol@x.io', purpose: 'verify' })).toBe('246810');
    // A kind that names no purpose this suite reads is no code, whatever digits it holds.
    await expect(reader.read({ ...bob, identifier: 'dave@x.io', purpose: 'verify' })).rejects.toThrow(/no message/);
  });

  test('http: a hook answering the mail, a list of mails, or the token under data', async () => {
    const reset = { identifier: 'a@b.c', channel: 'email', purpose: 'reset' } as const;
    const at = (path: string) => otpReader(resolveOtpSource({ kind: 'http', template: `${path}?to={identifier}` }, origin), client, 1000);
    expect(await at('/mail-record').readToken(reset)).toBe('XYZ');
    expect(await at('/mail-list').readToken(reset)).toBe('New-token-111111');
    expect(await at('/mail-list').readToken({ ...reset, purpose: 'verify' })).toBe('Verify-token-2222');
    expect(await at('/token-data').readToken(reset)).toBe('Tk-data-0123456789');
    expect(await at('/otp-record').read(req)).toBe('908172');
    await expect(at('/json').readToken(reset)).rejects.toThrow(/answered 200 without a token for email reset/);
  });

  test('command: prints the token, or the link that carries it; a fixed code has no token', async () => {
    const reset = { ...req, purpose: 'reset' } as const;
    expect(await otpReader({ kind: 'command', command: "echo 'https://x.io/choose_password?token=cmd-token-42&username=a'" }, client, 2000).readToken(reset)).toBe('cmd-token-42');
    expect(await otpReader({ kind: 'command', command: 'echo plain-token-43' }, client, 2000).readToken(reset)).toBe('plain-token-43');
    await expect(otpReader({ kind: 'fixed', code: '123456' }, client, 1000).readToken(reset)).rejects.toThrow(/gives codes, not the token of a reset link/);
  });

  test('mailpit: the code in the latest message to the recipient', async () => {
    expect(await otpReader({ kind: 'mailpit', url: `${origin}/mailpit` }, client, 1000).read(req)).toBe('556677');
  });

  test('no source: unavailable, with the reason', async () => {
    const reader = otpReader(null, client, 1000);
    expect(reader.available).toBe(false);
    await expect(reader.read(req)).rejects.toThrow(/no OTP source configured/);
  });
});
