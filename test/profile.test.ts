import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { notApplicable } from '../helpers/applicability.js';
import { requirement } from '../helpers/catalogue.js';
import { loadProfile, mergeProfiles, ProfileError } from '../helpers/profile.js';
import { ROOT, runCli } from './harness.js';

function profileFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'acc-profile-'));
  const path = join(dir, 'acme.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('target profiles', () => {
  test('extends merges objects key by key, replaces the rest, and null removes a key', () => {
    expect(mergeProfiles({ a: { b: 1, c: 2 }, d: [1], e: 1 }, { a: { c: 3 }, d: [2], e: null })).toEqual({ a: { b: 1, c: 3 }, d: [2] });
  });

  test('a profile extending tasklink loses the operations it removes, and the checks needing them do not apply', () => {
    const profile = loadProfile(profileFile({ extends: 'tasklink', name: 'acme', description: 'no wallet', operations: { wallet: null } }));
    expect(profile.operations.wallet).toBeUndefined();
    expect(profile.operations.login?.path).toBe('auth/login/');
    expect(notApplicable(requirement('ACC-WAL-001'), profile)).toBe('the acme profile has no wallet operation');
    expect(notApplicable(requirement('ACC-LOG-003'), profile)).toBeNull();
  });

  test.each([
    { content: { extends: 'tasklink', name: 'acme', operatons: {} }, message: /unknown key 'operatons'/ },
    { content: { extends: 'tasklink', name: 'acme', operations: { login: { method: 'FETCH' } } }, message: /operations\.login\.method: must be one of/ },
    { content: { extends: 'tasklink', name: 'acme', refusals: { badCredentials: [200] } }, message: /refusals\.badCredentials\.0/ },
    { content: { extends: 'nowhere', name: 'acme' }, message: /no profile named 'nowhere'/ },
    { content: '{ not json', message: /not valid JSON/ },
  ])('a broken profile is refused naming what is wrong: $message', ({ content, message }) => {
    const path = profileFile(content);
    expect(() => loadProfile(path)).toThrow(ProfileError);
    expect(() => loadProfile(path)).toThrow(message);
  });

  test('a profile may present the token in another header, with or without a scheme word', async () => {
    const { Api } = await import('../helpers/api.js');
    const { HttpClient } = await import('../helpers/http.js');
    const profile = loadProfile(profileFile({ extends: 'tasklink', name: 'acme', auth: { header: 'X-Auth-Token', scheme: null } }));
    const client = new HttpClient({ timeoutMs: 500, maxBodyBytes: 1024 });
    const ex = await new Api(client, profile, 'http://127.0.0.1:9/api/').call('me', { credential: { token: 'abc.def.ghi' } });
    await client.close();
    expect(ex.request.headers['x-auth-token']).toBe('abc.def.ghi');
    expect(ex.request.headers.authorization).toBeUndefined();
  });

  test("the README's worked example is a valid profile", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /A worked example[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const profile = loadProfile(profileFile(example as string));
    expect(profile.name).toBe('acme');
    expect(notApplicable(requirement('ACC-WAL-001'), profile)).toMatch(/no wallet operation/);
  });

  test('a profile extending itself is a cycle, not a hang', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acc-profile-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ extends: './b.json' }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ extends: './a.json' }));
    expect(() => loadProfile(join(dir, 'a.json'))).toThrow(/cycle/);
  });

  test('the CLI exits 2 with one line naming the key of a broken profile', async () => {
    const run = await runCli(['--profile', profileFile({ extends: 'tasklink', name: 'acme', operatons: {} }), '--list']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/unknown key 'operatons'/);
  });

  test('--list --profile marks what does not apply', async () => {
    const run = await runCli(['--profile', profileFile({ extends: 'tasklink', name: 'acme', description: 'no wallet', operations: { wallet: null } }), '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ACC-WAL-001 .*\(not applicable: the acme profile has no wallet operation\)/);
  });
});
