import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { notApplicable } from '../requirements/applicability.js';
import { requirement } from '../requirements/catalogue.js';
import { Faker, en } from '@faker-js/faker';
import { newUserInput, registerFields } from '../helpers/flows/users.js';
import { loadProfile, mergeProfiles, ProfileError, refusalStatuses } from '../helpers/wire/profile.js';
import { generatedProfileTypes, PROFILE_TYPES_FILE } from '../scripts/gen-types.js';
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

  test('a logout that takes no access token (authenticated by the refresh token in its body) cannot be judged on refusing one', () => {
    // The university API has no registration: its users are provisioned.
    const facts = { provisioning: true };
    expect(notApplicable(requirement('ACC-OUT-003'), loadProfile('university'), facts)).toBeNull();
    const profile = loadProfile(profileFile({ extends: 'university', name: 'acme', operations: { logout: { auth: false } } }));
    expect(notApplicable(requirement('ACC-OUT-003'), profile, facts)).toBe("the acme profile's logout takes no access token (it is authenticated by what its body carries)");
    expect(notApplicable(requirement('ACC-OUT-001'), profile, facts)).toBeNull();
  });

  test('zero, one or many roles and genders load, and no check draws from an empty list', () => {
    for (const roles of [[], ['MEMBER'], ['A', 'B', 'C']]) {
      const profile = loadProfile(profileFile({ extends: 'tasklink', name: 'acme', description: 'roles', values: { roles, genders: roles } }));
      const input = newUserInput(new Faker({ locale: [en] }), profile);
      expect(input.role).toBe(roles[0] ?? '');
      expect('role' in registerFields(input)).toBe(roles.length > 0);
      expect(notApplicable(requirement('ACC-REG-005'), profile)).toBe(roles.length ? null : 'the acme profile names no roles');
    }
  });

  test.each([
    { content: { extends: 'tasklink', name: 'acme', operatons: {} }, message: /unknown key 'operatons'/ },
    { content: { extends: 'tasklink', name: 'acme', operations: { login: { method: 'FETCH' } } }, message: /operations\.login\.method: must be one of/ },
    { content: { extends: 'tasklink', name: 'acme', refusals: { badCredentials: [200] } }, message: /refusals\.badCredentials\.0/ },
    { content: { extends: 'nowhere', name: 'acme' }, message: /no profile named 'nowhere'/ },
    { content: '{ not json', message: /not valid JSON/ },
    { content: { extends: 'tasklink', name: 'acme', request: { register: { emial: 'email' } } }, message: /: \/request\/register\/emial: register has no neutral field 'emial' \(known: email, username, / },
    { content: { extends: 'tasklink', name: 'acme', request: { me: { usernam: 'username' } } }, message: /\/request\/me\/usernam: me has no neutral field 'usernam' \(known: none\)/ },
    { content: { extends: 'tasklink', name: 'acme', request: { sigin: {} } }, message: /request: unknown key 'sigin'/ },
    { content: { extends: 'tasklink', name: 'acme', user: { emial: '/email' } }, message: /user: unknown key 'emial'/ },
    { content: { extends: 'tasklink', name: 'acme', response: { tokenAcess: '/access' } }, message: /response: unknown key 'tokenAcess'/ },
    { content: { extends: 'tasklink', name: 'acme', privileged: { admin: 'is_staff' } }, message: /privileged: unknown key 'admin'/ },
    { content: { extends: 'tasklink', name: 'acme', operations: { register: { refusals: { invalid: [200] } } } }, message: /operations\.register\.refusals\.invalid\.0/ },
    { content: { extends: 'tasklink', name: 'acme', operations: { register: { refusals: { invalidInput: [422] } } } }, message: /operations\.register\.refusals: unknown key 'invalidInput'/ },
    { content: { extends: 'tasklink', name: 'acme', request: { login: { password: 'cookie:pw' } } }, message: /\/request\/login\/password: only the refresh token travels in a cookie \(refresh\.refresh, logout\.refresh\)/ },
    { content: { extends: 'tasklink', name: 'acme', response: { tokenAccess: 'cookie:access_token' } }, message: /\/response\/tokenAccess: only the refresh token is read from a cookie/ },
    { content: { extends: 'tasklink', name: 'acme', response: { tokenRefresh: 'cookie:refresh token' } }, message: /response\.tokenRefresh: must match/ },
  ])('a broken profile is refused naming what is wrong: $message', ({ content, message }) => {
    const path = profileFile(content);
    expect(() => loadProfile(path)).toThrow(ProfileError);
    expect(() => loadProfile(path)).toThrow(message);
  });

  test('an operation may override the refusal statuses for itself; the others keep the profile\'s or the defaults', () => {
    const profile = loadProfile(profileFile({ extends: 'tasklink', name: 'acme', refusals: { badCredentials: [400] }, operations: { register: { refusals: { invalid: [422] } } } }));
    expect(profile.operations.register?.path).toBe('auth/register/');
    expect(refusalStatuses(profile, 'invalid', 'register')).toEqual([422]);
    expect(refusalStatuses(profile, 'invalid', 'login')).toEqual([400]);
    expect(refusalStatuses(profile, 'invalid')).toEqual([400]);
    expect(refusalStatuses(profile, 'badCredentials', 'register')).toEqual([400]);
    expect(refusalStatuses(profile, 'unauthorized', 'register')).toEqual([401]);
  });

  test("a refusal is judged against the statuses of the exchange's own operation", async () => {
    const { Api } = await import('../helpers/wire/api.js');
    const { Checks } = await import('../helpers/checks.js');
    const { HttpClient } = await import('../helpers/wire/http.js');
    const profile = loadProfile(profileFile({ extends: 'tasklink', name: 'acme', operations: { register: { refusals: { invalid: [422] } } } }));
    const client = new HttpClient({ timeoutMs: 500, maxBodyBytes: 1024 });
    const api = new Api(client, profile, 'http://127.0.0.1:9/api/');
    const [register, login] = [await api.call('register', { fields: {} }), await api.call('login', { fields: {} })];
    await client.close();
    // No server listens: the failure names the statuses that would have passed.
    expect(() => new Checks(profile).expectRefusalStatus(register, 'invalid')).toThrow(/expected 422, but no response arrived/);
    expect(() => new Checks(profile).expectRefusalStatus(login, 'invalid')).toThrow(/expected 400, but no response arrived/);
  });

  test('the profile types are generated from the schema, and the committed file is current (npm run gen:types)', () => {
    expect(readFileSync(PROFILE_TYPES_FILE, 'utf8')).toBe(generatedProfileTypes());
    expect(() => generatedProfileTypes(JSON.parse('{"$defs": {"x": {"allOf": []}}}'))).toThrow(/allOf is not supported/);
  });

  test('a profile may present the token in another header, with or without a scheme word', async () => {
    const { Api } = await import('../helpers/wire/api.js');
    const { HttpClient } = await import('../helpers/wire/http.js');
    const profile = loadProfile(profileFile({ extends: 'tasklink', name: 'acme', auth: { header: 'X-Auth-Token', scheme: null } }));
    const client = new HttpClient({ timeoutMs: 500, maxBodyBytes: 1024 });
    const ex = await new Api(client, profile, 'http://127.0.0.1:9/api/').call('me', { credential: { token: 'abc.def.ghi' } });
    await client.close();
    expect(ex.request.headers['x-auth-token']).toBe('abc.def.ghi');
    expect(ex.request.headers.authorization).toBeUndefined();
  });

  test('constant fields go with every call of their operation, unless the check sends the field itself', async () => {
    const { Api } = await import('../helpers/wire/api.js');
    const { HttpClient } = await import('../helpers/wire/http.js');
    const profile = loadProfile(profileFile({ extends: 'tasklink', name: 'acme', constants: { login: { device_type: 'Web', 'client.id': 'suite' } } }));
    const client = new HttpClient({ timeoutMs: 500, maxBodyBytes: 1024 });
    const api = new Api(client, profile, 'http://127.0.0.1:9/api/');
    const login = await api.call('login', { fields: { username: 'ann@example.com', password: 'x' } });
    const refresh = await api.call('refresh', { fields: { refresh: 'r' } });
    await client.close();
    const sent = (ex: typeof login) => JSON.parse(Buffer.from(ex.request.body?.bytes ?? []).toString()) as unknown;
    expect(sent(login)).toEqual({ username: 'ann@example.com', password: 'x', device_type: 'Web', client: { id: 'suite' } });
    expect(sent(refresh)).toEqual({ refresh: 'r' });
  });

  test("a path may name an environment variable (Parse Server's pages routes hold the application id): read once, masked in reports", async () => {
    const { Api } = await import('../helpers/wire/api.js');
    const { HttpClient } = await import('../helpers/wire/http.js');
    const { mask } = await import('../helpers/wire/mask.js');
    vi.stubEnv('ACCOUNTS_TEST_PATH_APP', 'app7Kq2Zx9');
    try {
      const profile = loadProfile(profileFile({ extends: 'tasklink', name: 'acme', operations: { resetConfirm: { method: 'POST', path: 'apps/${ACCOUNTS_TEST_PATH_APP}/reset', auth: false, body: 'json' } } }));
      expect(profile.operations.resetConfirm?.path).toBe('apps/${ACCOUNTS_TEST_PATH_APP}/reset');
      const client = new HttpClient({ timeoutMs: 500, maxBodyBytes: 1024 });
      const api = new Api(client, profile, 'http://127.0.0.1:9/api/');
      vi.stubEnv('ACCOUNTS_TEST_PATH_APP', 'changed');
      const ex = await api.call('resetConfirm', { fields: { identifier: 'ann@example.com' } });
      await client.close();
      expect(ex.request.url).toBe('http://127.0.0.1:9/api/apps/app7Kq2Zx9/reset');
      expect(mask(ex.request.url)).not.toContain('app7Kq2Zx9');
    } finally {
      vi.unstubAllEnvs();
    }
    expect(() => loadProfile(profileFile({ extends: 'tasklink', name: 'acme', operations: { login: { method: 'POST', path: 'auth/${ACCOUNTS_TEST_UNSET_PATH}/login/', auth: false, body: 'json' } } }))).toThrow(
      /\/operations\/login\/path: the environment variable ACCOUNTS_TEST_UNSET_PATH is not set/,
    );
  });

  test('extra fields go on the wire by their own names, and a query string joins the path', async () => {
    const { Api } = await import('../helpers/wire/api.js');
    const { HttpClient } = await import('../helpers/wire/http.js');
    const profile = loadProfile('tasklink');
    const client = new HttpClient({ timeoutMs: 500, maxBodyBytes: 1024 });
    const api = new Api(client, profile, 'http://127.0.0.1:9/api/');
    const location = await api.call('updateLocation', { fields: { latitude: 1 }, extraFields: { user_id: 7, latitude: 99 } });
    const me = await api.call('me', { query: { user_id: '7', id: 'a b' }, extraFields: { user_id: 7 } });
    await client.close();
    // A mapped field the check sends wins over an extra of the same wire name.
    expect(JSON.parse(Buffer.from(location.request.body?.bytes ?? []).toString())).toEqual({ latitude: 1, user_id: 7 });
    expect(new URL(me.request.url).search).toBe('?user_id=7&id=a+b');
    expect(me.request.body).toBeUndefined();
  });

  test("a team's own schema file, relative to its profile, may $ref the shipped ones", async () => {
    const { schemaViolations } = await import('../helpers/wire/schemas.js');
    const path = profileFile({ extends: 'tasklink', name: 'acme', schemas: { user: './acme-user.json' } });
    writeFileSync(join(dirname(path), 'acme-user.json'), JSON.stringify({ $id: 'acme-user.json', allOf: [{ $ref: 'user.json' }], required: ['team'] }));
    const profile = loadProfile(path);
    expect(profile.schemas.user).toBe(join(dirname(path), 'acme-user.json'));
    expect(schemaViolations(join(dirname(path), 'acme-user.json'), { team: 1 }).join('; ')).toMatch(/required property 'id'/);
  });

  test("a team's schema files may $ref each other and files the profile does not name, whatever the key order", async () => {
    const { schemaViolations } = await import('../helpers/wire/schemas.js');
    const path = profileFile({ extends: 'tasklink', name: 'acme', schemas: { authData: './acme-auth.json', user: './acme-user.json' } });
    const dir = dirname(path);
    // acme-auth (named first) needs acme-user (named second), which needs acme-name (not named at all).
    writeFileSync(join(dir, 'acme-auth.json'), JSON.stringify({ type: 'object', properties: { user: { $ref: './acme-user.json' } }, required: ['user'] }));
    writeFileSync(join(dir, 'acme-user.json'), JSON.stringify({ type: 'object', properties: { name: { $ref: 'acme-name.json#/$defs/name' } }, required: ['name'] }));
    writeFileSync(join(dir, 'acme-name.json'), JSON.stringify({ $defs: { name: { type: 'string', minLength: 1 } } }));
    const profile = loadProfile(path);
    expect(schemaViolations(profile.schemas.authData as string, { user: { name: 'Ann' } })).toEqual([]);
    expect(schemaViolations(profile.schemas.authData as string, { user: { name: '' } }).join('; ')).toMatch(/user\.name/);
    expect(schemaViolations(profile.schemas.user as string, {}).join('; ')).toMatch(/required property 'name'/);
  });

  test.each([
    { schemas: { user: 'acme-user' }, message: /\/schemas\/user: no shipped schema named 'acme-user'/ },
    { schemas: { user: './missing.json' }, message: /\/schemas\/user: cannot use the schema .*missing\.json: ENOENT/ },
  ])('a schema that cannot be used is refused naming its key: $message', ({ schemas, message }) => {
    expect(() => loadProfile(profileFile({ extends: 'tasklink', name: 'acme', schemas }))).toThrow(message);
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

  test('the CLI exits 2 with one line naming a neutral request field the operation does not know', async () => {
    const run = await runCli(['--profile', profileFile({ extends: 'tasklink', name: 'acme', request: { register: { emial: 'email' } } }), '--list']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/acme\.json: \/request\/register\/emial: register has no neutral field 'emial'/);
  });

  test.each(['tasklink', 'university', 'message-data', 'simplejwt-accounts', 'flutter-auth', 'djoser'])('--list --profile %s works', async (name) => {
    const run = await runCli(['--list', '--profile', name]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^profile ${name}: `));
  });

  test('without a target, a profile the embedded server does not speak exits 2 with one line', async () => {
    const run = await runCli(['--profile', 'djoser']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/embedded reference server speaks tasklink, message-data, university, flutter-auth, not the djoser profile/);
  });

  test('--list --profile marks what does not apply', async () => {
    const run = await runCli(['--profile', profileFile({ extends: 'tasklink', name: 'acme', description: 'no wallet', operations: { wallet: null } }), '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ACC-WAL-001 .*\(not applicable: the acme profile has no wallet operation\)/);
  });
});
