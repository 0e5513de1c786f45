import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { startReferenceServer } from '../reference/server.js';
import { HOOK_OTP_SOURCE, runCli } from './harness.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function textOf(path: string): string {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

function formsOf(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), JSON.stringify(secret).slice(1, -1)];
}

// Failing checks write evidence (requests with passwords, answers with tokens and codes) into every
// report; none of the secrets the server saw may appear there, nor in the console, in any form.
test('no password, token or OTP reaches the console or any report, raw, URL-encoded or base64', async () => {
  const faults = ['accepts-wrong-password', 'otp-echoed', 'leaks-password-hash', 'no-www-authenticate', 'refresh-accepts-access-token'] as const;
  const server = await startReferenceServer({ hooks: true, faults: [...faults] });
  try {
    const run = await runCli(['--base-url', server.baseUrl, '--otp-source', HOOK_OTP_SOURCE, '--only', 'login,refresh,otp,exposure,tokens']);
    expect(run.code).toBe(1);
    const summary = run.summary();
    expect(summary.failed).toBeGreaterThan(2);
    expect(summary.warnings).toBeGreaterThan(0);
    const secrets = server.secrets();
    expect(secrets.passwords.length).toBeGreaterThan(10);
    expect(secrets.tokens.length).toBeGreaterThan(10);
    expect(secrets.otps.length).toBeGreaterThan(3);
    const outputs = [
      { name: 'console', text: run.stdout + run.stderr },
      ...filesUnder(run.reportDir).map((path) => ({ name: path.slice(run.reportDir.length + 1), text: textOf(path) })),
    ];
    expect(outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['summary.json', 'junit.xml', 'report.html', 'report.md', 'exchanges.har']));
    const hits: string[] = [];
    for (const secret of [...secrets.passwords, ...secrets.tokens, ...secrets.otps]) {
      for (const form of formsOf(secret)) {
        for (const output of outputs) if (output.text.includes(form)) hits.push(`${output.name} contains ${form.slice(0, 6)}…`);
      }
    }
    expect(hits).toEqual([]);
    // The evidence is still there, masked: the reports are useful, not empty.
    expect(textOf(join(run.reportDir, 'junit.xml'))).toContain('«masked»');
    expect(textOf(join(run.reportDir, 'exchanges.har'))).toContain('«masked»');
  } finally {
    await server.close();
  }
});
