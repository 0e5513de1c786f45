import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpClient } from '../helpers/wire/http.js';
import { otpReader } from '../helpers/flows/otp.js';
import { codeFromBody, describeOtpSource, expandTemplate, parseOtpSource, resolveOtpSource } from '../helpers/flows/otp-sources.js';
import { parseProvision, resolveProvision } from '../helpers/flows/provision-source.js';
import { onTarget } from '../helpers/flows/sources.js';

const client = new HttpClient({ timeoutMs: 2000, maxBodyBytes: 65536 });
const req = { identifier: 'a+b@example.com', channel: 'email', purpose: 'verify' } as const;
let server: Server;
let origin: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((r, res) => {
    seen.push(r.url ?? '');
    if (r.url?.startsWith('/json')) return void res.setHeader('content-type', 'application/json').end('{"otp":"654321","sent_at":"now"}');
    if (r.url?.startsWith('/text')) return void res.end('Your code is 112233.');
    if (r.url?.startsWith('/mailpit/api/v1/search')) return void res.setHeader('content-type', 'application/json').end('{"messages":[{"ID":"m1"}]}');
    if (r.url === '/mailpit/api/v1/message/m1') return void res.setHeader('content-type', 'application/json').end('{"Text":"Reset code: 556677"}');
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

  test('mailpit: the code in the latest message to the recipient', async () => {
    expect(await otpReader({ kind: 'mailpit', url: `${origin}/mailpit` }, client, 1000).read(req)).toBe('556677');
  });

  test('no source: unavailable, with the reason', async () => {
    const reader = otpReader(null, client, 1000);
    expect(reader.available).toBe(false);
    await expect(reader.read(req)).rejects.toThrow(/no OTP source configured/);
  });
});
