import { describe, expect, test } from 'vitest';
import { startReferenceServer } from '../reference/server.js';
import { HOOK_OTP_SOURCE, runCli, statusesOf } from './harness.js';

describe('--strict', () => {
  test('a SHOULD finding is a warning (exit 0) without --strict and a failure (exit 1) with it, with the reason and the usual fix', async () => {
    const server = await startReferenceServer({ hooks: true, faults: ['no-www-authenticate'] });
    try {
      const args = ['--base-url', server.baseUrl, '--otp-source', HOOK_OTP_SOURCE, '--only', 'tokens'];
      const lenient = await runCli(args);
      expect(lenient.code, lenient.stdout).toBe(0);
      expect(statusesOf(lenient.summary())['ACC-TOK-003']).toBe('warning');
      const finding = lenient.summary().results.find((r) => r.id === 'ACC-TOK-003');
      expect(finding?.advice).toMatch(/not a failure, unless --strict.*DEFAULT_AUTHENTICATION_CLASSES/);
      expect(lenient.stdout).toMatch(/! WARNING ACC-TOK-003/);
      const strict = await runCli([...args, '--strict']);
      expect(strict.code).toBe(1);
      expect(statusesOf(strict.summary())['ACC-TOK-003']).toBe('failed');
    } finally {
      await server.close();
    }
  });
});
