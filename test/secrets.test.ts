import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import type { SecretsSeen } from '../reference/secrets.js';
import { startReferenceServer } from '../reference/server.js';
import { HOOK_OTP_SOURCE, ROOT, runCli, type CliRun } from './harness.js';

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

interface Output {
  readonly name: string;
  readonly text: string;
}

/** Where @vitest/ui keeps the static bundle (scripts, styles) its HTML report copies beside its data. */
const VITEST_UI_ASSETS = join(ROOT, 'node_modules', '@vitest', 'ui', 'dist', 'client', 'assets');

/**
 * A file of the HTML report that is byte for byte @vitest/ui's own bundle: the same in every run,
 * so it holds nothing of this one (a 6-digit code may occur among its digits by chance). The
 * run's data (html.meta.json.gz) and any file that differs from the bundle are still read.
 */
function isUiBundle(path: string): boolean {
  const shipped = join(VITEST_UI_ASSETS, basename(path));
  return existsSync(shipped) && readFileSync(shipped).equals(readFileSync(path));
}

/** The console and every file of the report directory (summary.json, junit.xml, report.html, vitest's html/, gzipped data unpacked). */
function outputsOf(run: CliRun): Output[] {
  const files = filesUnder(run.reportDir).filter((path) => !isUiBundle(path));
  const outputs = [{ name: 'console', text: run.stdout + run.stderr }, ...files.map((path) => ({ name: path.slice(run.reportDir.length + 1), text: textOf(path) }))];
  expect(outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['summary.json', 'junit.xml', 'report.html', 'report.md', 'exchanges.har', join('html', 'index.html')]));
  return outputs;
}

function leaks(outputs: readonly Output[], secrets: readonly string[]): string[] {
  const hits: string[] = [];
  for (const secret of secrets) {
    for (const form of formsOf(secret)) {
      for (const output of outputs) if (output.text.includes(form)) hits.push(`${output.name} contains ${form.slice(0, 6)}…`);
    }
  }
  return hits;
}

function credentialsOf(secrets: SecretsSeen): string[] {
  // The quirk hands out session tokens, one API key and session cookies.
  expect(secrets.credentials.filter((c) => /^r:[0-9a-f]{32}$/.test(c)).length).toBeGreaterThan(3);
  expect(secrets.credentials.filter((c) => c.startsWith('ak_'))).toHaveLength(1);
  return secrets.credentials;
}

// Failing checks write evidence (requests with passwords, answers with tokens and codes) into every
// report; none of the secrets the server saw may appear there, nor in the console, in any form.
// The server also hands out credentials the contract does not name (quirk session-extras): a
// session token, an API key, a session cookie; they must not show either.
test('no password, token, OTP, session token, API key or cookie reaches the console or any report, raw, URL-encoded or base64', async () => {
  const faults = ['accepts-wrong-password', 'otp-echoed', 'leaks-password-hash', 'no-www-authenticate', 'refresh-accepts-access-token'] as const;
  const server = await startReferenceServer({ hooks: true, faults: [...faults], quirks: ['session-extras'] });
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
    const outputs = outputsOf(run);
    expect(leaks(outputs, [...secrets.passwords, ...secrets.tokens, ...secrets.otps, ...credentialsOf(secrets)])).toEqual([]);
    // The evidence is still there, masked: the reports are useful, not empty.
    const junit = textOf(join(run.reportDir, 'junit.xml'));
    expect(junit).toContain('«masked»');
    expect(junit).toMatch(/sessionToken&quot;:&quot;«masked»/);
    expect(textOf(join(run.reportDir, 'exchanges.har'))).toContain('«masked»');
  } finally {
    await server.close();
  }
});

// simplejwt's 401 names its error: {"detail": ..., "code": "token_not_valid"}. That code is the
// evidence of why a token was refused; masking it like a one-time code would hide it.
test('an error code in the evidence of a failed check stays visible in every report, beside masked credentials', async () => {
  const server = await startReferenceServer({ dialect: 'university', hooks: true, faults: ['login-token-unusable'], quirks: ['session-extras'] });
  try {
    const run = await runCli(['--base-url', server.baseUrl, '--profile', 'university', '--provision', 'http:/__conformance__/users', '--only', 'login']);
    expect(run.code, run.stdout).toBe(1);
    expect(run.summary().results.find((r) => r.id === 'ACC-LOG-005')?.status).toBe('failed');
    const outputs = outputsOf(run);
    for (const name of ['console', 'summary.json', 'junit.xml', 'report.html']) {
      expect(outputs.find((o) => o.name === name)?.text, name).toMatch(/code(?:\\?"|&quot;|&#34;):\s?(?:\\?"|&quot;|&#34;)token_not_valid/);
    }
    const secrets = server.secrets();
    expect(leaks(outputs, [...secrets.passwords, ...secrets.tokens, ...credentialsOf(secrets)])).toEqual([]);
  } finally {
    await server.close();
  }
});
