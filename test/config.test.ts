import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../cli/config.js';

function dirWithEnv(content?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'acc-config-'));
  if (content !== undefined) writeFileSync(join(dir, '.env'), content);
  return dir;
}

const load = (argv: string[], env: Record<string, string> = {}, cwd = dirWithEnv()) => loadConfig({ argv, env, cwd });

describe('configuration', () => {
  test('defaults: embedded target, no OTP source, reports/ under the working directory', () => {
    const cwd = dirWithEnv();
    const c = load([], {}, cwd);
    expect(c.baseUrl).toBeNull();
    expect(c.otpSource).toBeNull();
    expect(c.reportDir).toBe(join(cwd, 'reports'));
    expect(c.timeoutMs).toBe(10_000);
    expect(c.concurrency).toBe(32);
    expect(c.strict).toBe(false);
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('flags win over the environment, which wins over .env', () => {
    const cwd = dirWithEnv('ACCOUNTS_BASE_URL=http://from-dotenv:1/api/\nACCOUNTS_TIMEOUT=111\nACCOUNTS_SEED=5\n');
    const c = load(['--timeout', '333'], { ACCOUNTS_TIMEOUT: '222', ACCOUNTS_SEED: '6' }, cwd);
    expect(c.baseUrl).toBe('http://from-dotenv:1/api/');
    expect(c.timeoutMs).toBe(333);
    expect(c.seed).toBe(6);
  });

  test('--concurrency bounds the requests in flight, from a flag or ACCOUNTS_CONCURRENCY', () => {
    expect(load(['--concurrency', '4']).concurrency).toBe(4);
    expect(load([], { ACCOUNTS_CONCURRENCY: '2' }).concurrency).toBe(2);
  });

  test('a base URL gets its trailing slash', () => {
    expect(load(['--base-url=http://127.0.0.1:8000/api/v1']).baseUrl).toBe('http://127.0.0.1:8000/api/v1/');
  });

  test('OTP sources parse into their three kinds', () => {
    expect(load(['--otp-source', 'fixed:123456']).otpSource).toEqual({ kind: 'fixed', code: '123456' });
    expect(load(['--otp-source', 'http:http://127.0.0.1:9/otp?to={identifier}']).otpSource).toEqual({ kind: 'http', template: 'http://127.0.0.1:9/otp?to={identifier}' });
    expect(load(['--otp-source', 'http:/__conformance__/otp']).otpSource).toEqual({ kind: 'http', template: '/__conformance__/otp' });
    expect(load(['--otp-source', 'command:cat /tmp/otp']).otpSource).toEqual({ kind: 'command', command: 'cat /tmp/otp' });
  });

  test('provisioning sources: an admin hook (a path resolves against the target) or a command', () => {
    expect(load([]).provision).toBeNull();
    expect(load(['--provision', 'http:/__conformance__/users']).provision).toEqual({ kind: 'http', url: '/__conformance__/users' });
    expect(load(['--provision', 'command:./manage.py shell -c "..."']).provision).toEqual({ kind: 'command', command: './manage.py shell -c "..."' });
  });

  test('--only takes known flows', () => {
    expect(load(['--only', 'login, register']).only).toEqual(['login', 'register']);
  });

  test.each([
    { argv: ['--base-url', 'localhost:8000'], message: /must be an http:\/\/ or https:\/\/ URL/ },
    { argv: ['--base-url', 'not a url'], message: /not an absolute URL/ },
    { argv: ['--base-url', 'ftp://x/'], message: /must be an http:\/\/ or https:\/\/ URL/ },
    { argv: ['--otp-source', 'sms:123'], message: /fixed:, http:, command:, file: or mailpit:/ },
    { argv: ['--otp-source', 'mailpit:localhost'], message: /Mailpit's http\(s\) URL/ },
    { argv: ['--otp-source', 'fixed:'], message: /needs a code/ },
    { argv: ['--otp-source', 'http:not a url'], message: /http\(s\) URL or a path/ },
    { argv: ['--provision', 'ldap:cn=admin'], message: /--provision must start with http: or command:/ },
    { argv: ['--provision', 'http:admin.local'], message: /http\(s\) URL or a path on the target/ },
    { argv: ['--timeout', 'soon'], message: /whole number/ },
    { argv: ['--timeout', '5'], message: /between 100 and/ },
    { argv: ['--concurrency', '0'], message: /--concurrency must be between 1 and/ },
    { argv: ['--only', 'login,teleport'], message: /unknown flow 'teleport'/ },
    { argv: ['--frobnicate'], message: /unknown option --frobnicate/ },
    { argv: ['--base-url'], message: /needs a value/ },
    { argv: ['stray'], message: /unexpected argument/ },
  ])('$argv is refused with a clear message', ({ argv, message }) => {
    expect(() => load(argv)).toThrow(ConfigError);
    expect(() => load(argv)).toThrow(message);
  });

  test('a container target: image, port, repeatable env, wait and base paths', () => {
    const c = load(['--image', 'acme/api:1.2', '--container-env', 'A=1', '--container-env=B=x=y', '--wait-path', '/health/'], { ACCOUNTS_CONTAINER_PORT: '9000' });
    expect(c.container).toEqual({ image: 'acme/api:1.2', port: 9000, env: { A: '1', B: 'x=y' }, waitPath: '/health/', basePath: '/api/v1/' });
    expect(load([], { ACCOUNTS_IMAGE: 'x', ACCOUNTS_CONTAINER_ENV: 'K=V,L=W' }).container?.env).toEqual({ K: 'V', L: 'W' });
    expect(load([]).container).toBeNull();
  });

  test.each([
    { argv: ['--container-port', '80'], message: /--container-port needs --image/ },
    { argv: ['--image', 'x', '--base-url', 'http://h/'], message: /exclude each other/ },
    { argv: ['--image', 'x', '--container-env', 'NOVALUE'], message: /KEY=VALUE/ },
    { argv: ['--image', 'x', '--wait-path', 'health'], message: /must start with \// },
  ])('container option $argv is refused', ({ argv, message }) => {
    expect(() => load(argv)).toThrow(message);
  });

  test('a bad value in the environment is refused too', () => {
    expect(() => load([], { ACCOUNTS_STRICT: 'maybe' })).toThrow(/--strict must be true or false/);
  });
});
