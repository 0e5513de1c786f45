/**
 * Every test makes its own users: seeded faker for the values (replayable with --seed), a
 * reserved domain, and identifiers made unique per run so concurrent tests and repeated runs
 * never collide.
 */
import { Inconclusive, NotApplicable, SetupFailure } from '../outcome.js';
import { randomBytes, randomInt } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import type { Api } from '../wire/api.js';
import { fail, type Checks } from '../checks.js';
import type { Exchange } from '../wire/http.js';
import { registerSecret } from '../wire/mask.js';
import { cookieNamed } from '../wire/cookies.js';
import type { TargetProfile, UserField } from '../wire/profile.js';
import { pointer } from '../wire/profile.js';
import type { Provisioner } from './provision.js';

/** Registration input in neutral names. */
export interface NewUser {
  readonly phone: string;
  readonly email: string;
  readonly password: string;
  readonly passwordConfirm: string;
  readonly role: string;
  readonly fullName: string;
  /** For dialects with a username and split names; a profile sends only the fields it names. */
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
}

export interface Account extends NewUser {
  readonly id: string;
  readonly access: string;
  readonly refresh: string;
  /** Made by the provisioning source, not registered: only its identity (id, email, username) is the API's to echo. */
  readonly provisioned?: boolean;
}

export interface Tokens {
  readonly access: string;
  readonly refresh: string;
}

/** RFC 2606 reserves example.com: no mail to it is ever delivered. */
const RESERVED_DOMAIN = 'example.com';

export function uniquePhone(profile: TargetProfile): string {
  const { phoneDigits, phonePrefix } = profile.rules;
  // A leading + (seed 004's "+1234567890") is not a digit.
  let phone = phonePrefix;
  while (phone.replace('+', '').length < phoneDigits) phone += String(randomInt(10));
  return phone;
}

export function uniqueEmail(faker: Faker): string {
  const local = faker.internet.username().toLowerCase().replace(/[^a-z0-9]/g, '') || 'user';
  return `${local.slice(0, 20)}.${randomBytes(5).toString('hex')}@${RESERVED_DOMAIN}`;
}

export function newPassword(faker: Faker): string {
  // Long, mixed and not similar to the user's data, so no password policy refuses it.
  return registerSecret(`${faker.internet.password({ length: 14, memorable: false, pattern: /[A-Za-z0-9]/ })}#9a`);
}

/** A password of mixed characters, one short of the profile's minimum length (seed 000: 8, seed 004: 6). */
export function shortPassword(profile: TargetProfile): string {
  return 'Ab1#xyz9kLm2Qr5$tUv8'.slice(0, Math.max(1, profile.rules.minPasswordLength - 1));
}

export function newUserInput(faker: Faker, profile: TargetProfile, role?: string): NewUser {
  const password = newPassword(faker);
  const email = uniqueEmail(faker);
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  return {
    phone: uniquePhone(profile),
    email,
    password,
    passwordConfirm: password,
    // The first role the API names, so that a run's verdicts do not depend on a draw; none where it names none.
    role: role ?? profile.values.roles[0] ?? '',
    fullName: `${firstName} ${lastName}`,
    username: email.split('@')[0] as string,
    firstName,
    lastName,
  };
}

/** The registration fields of a user: every value it has (an empty role, where the profile names none, is left out). */
export function registerFields(user: Partial<NewUser>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(user).filter(([, value]) => value !== ''));
}

/**
 * Tokens of an auth answer (register/login), registered as secrets; undefined when absent. A
 * session-token API (no `response.tokenRefresh` in its profile) hands out an access token only:
 * its refresh is empty, and every check that needs one is not applicable (capability refreshToken).
 */
export function tokensOf(api: Api, ex: Exchange): Tokens | undefined {
  const tokens = api.read(ex, 'authTokens');
  const access = pointer(tokens, api.profile.response.tokenAccess);
  if (typeof access !== 'string') return undefined;
  if (api.profile.response.tokenRefresh === undefined) return { access: registerSecret(access), refresh: '' };
  // A refresh token in a cookie (`cookie:refresh_token`) is read from the answer's Set-Cookie.
  const refresh = cookieNamed(api.profile.response.tokenRefresh) === undefined ? pointer(tokens, api.profile.response.tokenRefresh) : api.read(ex, 'tokenRefresh');
  if (typeof refresh !== 'string') return undefined;
  return { access: registerSecret(access), refresh: registerSecret(refresh) };
}

/**
 * The user a registration made, with the exchange that shows it: the register answer's own user
 * where the profile says it holds one (authUser), else the user read back from the current-user
 * operation with the token the registration issued (Parse Server's sign-up answers only an id and
 * a session token). A read-back the current-user operation refuses is that operation's finding
 * (ACC-ME-001), not the registration's.
 */
export async function registeredUser(api: Api, ex: Exchange): Promise<{ readonly ex: Exchange; readonly user: unknown }> {
  if (api.profile.response.authUser !== undefined) return { ex, user: api.read(ex, 'authUser') };
  const tokens = tokensOf(api, ex);
  if (!tokens) fail('the registration answered without a token to read the new user back with', ex);
  const me = await api.call('me', { credential: { token: tokens.access } });
  if (me.status === null || me.status >= 300) throw new SetupFailure('me', `the new user could not be read back: ${me.request.method} ${me.request.url} answered ${me.status ?? me.failure}`);
  return { ex: me, user: api.read(me, 'user') };
}

export function userField(api: Api, user: unknown, field: UserField): unknown {
  return pointer(user, api.profile.user[field]);
}

/** The value a user logs in with, as the profile says (email by default, a username in seed 001). */
export function loginId(profile: TargetProfile, user: Pick<NewUser, 'email' | 'phone' | 'username'>): string {
  return user[profile.loginWith];
}

/** A provisioned user's id, as the server tells it: from the login answer, else from `me`; '' when neither says. */
async function provisionedId(api: Api, login: Exchange, tokens: Tokens): Promise<string> {
  const id = userField(api, api.read(login, 'loginUser'), 'id');
  if (typeof id === 'string' || typeof id === 'number') return String(id);
  return currentUserId(api, tokens);
}

/**
 * A fresh user of the suite's own: registered, or on an API without registration made by the
 * provisioning source and logged in. A failed registration is a setup failure of the register step.
 */
export async function registerUser(api: Api, checks: Checks, faker: Faker, overrides: Partial<NewUser> = {}, provision: Provisioner | null = null): Promise<Account> {
  const input = { ...newUserInput(faker, api.profile), ...overrides };
  if (!api.profile.operations.register) {
    if (!provision) throw new NotApplicable(`the ${api.profile.name} profile has no register operation and no provisioning source (--provision) makes users`);
    await provision(input);
    const { ex, tokens } = await logIn(api, checks, loginId(api.profile, input), input.password);
    const id = await provisionedId(api, ex, tokens);
    api.rememberUser({ id, email: input.email, phone: input.phone, username: input.username }, [tokens.access, tokens.refresh, loginId(api.profile, input)]);
    return { ...input, id, ...tokens, provisioned: true };
  }
  const ex = await api.call('register', { fields: registerFields(input) });
  try {
    checks.expectOk(ex);
  } catch (e) {
    // A throttled step says nothing about the step: the check is inconclusive.
    if (e instanceof Inconclusive) throw e;
    throw new SetupFailure('register', `registering a user failed: ${(e as Error).message}`);
  }
  const id = userField(api, api.read(ex, 'authUser'), 'id');
  // A registration that answers no user (a 204, its profile names no response.authUser) is read back after login.
  const answersUser = api.profile.response.authUser !== undefined;
  if (answersUser && typeof id !== 'string' && typeof id !== 'number') throw new SetupFailure('register', 'registration answered without a user id');
  // Some stacks (djoser) register without issuing tokens: log in, as their apps do.
  const tokens = tokensOf(api, ex) ?? (await loginAs(api, checks, loginId(api.profile, input), input.password));
  const userId = answersUser ? String(id) : await currentUserId(api, tokens);
  api.rememberUser({ id: userId, email: input.email, phone: input.phone, username: input.username }, [tokens.access, tokens.refresh, loginId(api.profile, input)]);
  return { ...input, id: userId, ...tokens };
}

/** The signed-in user's id from the current-user operation, or '' where the profile cannot read one. */
async function currentUserId(api: Api, tokens: Tokens): Promise<string> {
  if (!api.profile.operations.me) return '';
  const me = await api.call('me', { credential: { token: tokens.access } });
  const id = me.status !== null && me.status < 300 ? userField(api, api.read(me, 'user'), 'id') : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/**
 * One login attempt, whatever it answers. A 429 is waited out (the target's rate limit is not
 * the subject) unless `retryOnRateLimit` is false: brute-force probes judge the 429 itself.
 */
export function attemptLogin(api: Api, username: string, password: string, retryOnRateLimit = true): Promise<Exchange> {
  return api.call('login', { fields: { username, password }, retryOnRateLimit });
}

async function logIn(api: Api, checks: Checks, username: string, password: string): Promise<{ ex: Exchange; tokens: Tokens }> {
  const ex = await api.call('login', { fields: { username, password } });
  try {
    checks.expectOk(ex);
  } catch (e) {
    // A throttled step says nothing about the step: the check is inconclusive.
    if (e instanceof Inconclusive) throw e;
    throw new SetupFailure('login', `logging in failed: ${(e as Error).message}`);
  }
  const tokens = tokensOf(api, ex);
  if (!tokens) throw new SetupFailure('login', 'login answered without tokens');
  return { ex, tokens };
}

/** Logs in; any failure is a setup failure of the login step. */
export async function loginAs(api: Api, checks: Checks, username: string, password: string): Promise<Tokens> {
  return (await logIn(api, checks, username, password)).tokens;
}

/**
 * The user in an answer carries the values given, for the fields the dialect has (a seed-003
 * user has no phone); emails compare case-insensitively, ids as strings.
 */
export function expectUserEchoes(api: Api, ex: Exchange, user: unknown, expected: Partial<Record<UserField, string>>, fields: readonly UserField[]): void {
  for (const field of fields) {
    // An unknown value ('' for the id of a provisioned user no answer named) is not compared.
    if (api.profile.user[field] === undefined || expected[field] === undefined || expected[field] === '') continue;
    const actual = userField(api, user, field);
    const norm = (v: unknown) => (field === 'email' ? String(v).toLowerCase() : field === 'id' ? String(v) : v);
    if (norm(actual) !== norm(expected[field])) fail(`the ${field}: expected ${JSON.stringify(expected[field])}, got ${JSON.stringify(actual)}`, ex);
  }
}
