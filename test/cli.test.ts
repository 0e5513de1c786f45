import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REQUIREMENTS } from '../requirements/catalogue.js';
import { runCli } from './harness.js';

describe.concurrent('the command line', () => {
  test('--list prints every requirement with its level and source, and exits 0', async () => {
    const run = await runCli(['--list']);
    expect(run.code).toBe(0);
    for (const r of REQUIREMENTS) expect(run.stdout).toContain(r.id);
    expect(run.stdout).toMatch(/ACC-REG-001\s+MUST\s+register/);
  });

  test('--version and --help exit 0', async () => {
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--base-url');
  });

  test('a bad option is one line on stderr and exit 2', async () => {
    const run = await runCli(['--timeout', 'never']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['accounts-conformance: --timeout must be a whole number, not \'never\'']);
  });

  test('an unreachable target is one line and exit 2, within 5 s', async () => {
    const run = await runCli(['--base-url', 'http://127.0.0.1:9/api/v1/']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^accounts-conformance: cannot reach http:\/\/127\.0\.0\.1:9\/api\/v1\/: connection refused\n$/);
    expect(run.durationMs).toBeLessThan(5000);
  });

  test('with no target, a team profile that extends a shipped one runs against the embedded dialect of its contract', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accounts-profile-'));
    const path = join(dir, 'team.json');
    writeFileSync(path, JSON.stringify({ extends: 'tasklink', name: 'team', request: { updateProfile: { gender: null } } }));
    const run = await runCli(['--profile', path, '--only', 'envelope']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/embedded reference server\), profile team/);
  });

  test('with no target, a profile of a contract the embedded server does not speak is one line and exit 2', async () => {
    const run = await runCli(['--profile', 'djoser']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^accounts-conformance: the embedded reference server speaks .*, not the djoser profile: give the target with --base-url or --image\n$/);
  });

  test('configuration comes from the environment too', async () => {
    const run = await runCli([], { env: { ACCOUNTS_ONLY: 'nowhere' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown flow 'nowhere'/);
  });
});
