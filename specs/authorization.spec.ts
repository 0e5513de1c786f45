/**
 * Authorization between users (OWASP API1:2023 BOLA, API3:2023 BOPLA). User A, signed in, names
 * user B by B's id (read from B's own answer) in a query string or in body fields a client could
 * add; on every operation that needs a token, A's answer must carry none of B's data and B must
 * read back unchanged, as B. The verdict comes from reading state, never from a status: a server
 * that ignores the extra names, or refuses them, is correct.
 */
import { check, type CheckContext } from '../helpers/harness/check.js';
import { expectThat, fail } from '../helpers/checks.js';
import type { CallOptions } from '../helpers/wire/api.js';
import type { Exchange } from '../helpers/wire/http.js';
import { operationsOf, pointer, successStatuses, type OperationId } from '../helpers/wire/profile.js';
import { Inconclusive } from '../helpers/outcome.js';
import { attemptLogin, loginId, newPassword, userField, type Account } from '../helpers/flows/users.js';

/** The names a client adds to point at another user: the usual ones and the profile's own id field. */
function bodyNames(t: CheckContext): string[] {
  const own = t.profile.user.id?.split('/').filter(Boolean).at(-1);
  return [...new Set(['id', 'user_id', 'user', 'owner', ...(own ? [own] : [])])];
}
const QUERY_NAMES = ['id', 'user_id', 'user'] as const;

/** Operations that a changed password or a logout may leave A signed out of go last; A signs in again after them. */
const SIGNS_OUT: readonly OperationId[] = ['changePassword', 'logout'];

function protectedOperations(t: CheckContext, withBody: boolean): OperationId[] {
  const ops = operationsOf(t.profile).filter((op) => t.profile.operations[op]?.auth && (!withBody || t.profile.operations[op]?.body !== 'none'));
  return [...ops.filter((op) => !SIGNS_OUT.includes(op)), ...ops.filter((op) => SIGNS_OUT.includes(op))];
}

/** A's own, ordinary request to an operation: valid input, so that a server that acts for B would change B. */
function ordinaryFields(t: CheckContext, op: OperationId, a: Account, password: string): Readonly<Record<string, unknown>> {
  const email = t.profile.values.channel.email;
  switch (op) {
    case 'sendOtp':
      return { channel: email, email: a.email, phone: a.phone };
    case 'verifyOtp':
      return { channel: email, email: a.email, phone: a.phone, code: '000000' };
    case 'updateProfile':
      return { fullName: t.faker.person.fullName(), bio: t.faker.lorem.sentence(), firstName: t.faker.person.firstName(), lastName: t.faker.person.lastName() };
    case 'changePassword':
      return { oldPassword: a.password, newPassword: password, newPasswordConfirm: password };
    case 'updateLocation':
      return { latitude: 48.8566, longitude: 2.3522 };
    case 'logout':
    case 'refresh':
      return { refresh: a.refresh };
    case 'login':
      return { username: loginId(t.profile, a), password: a.password };
    default:
      return {};
  }
}

/** A user as it reads itself: every user field the profile maps, and its wallet's where it has one. */
interface Snapshot {
  readonly user: Readonly<Record<string, unknown>>;
  readonly wallet: Readonly<Record<string, unknown>>;
}

/** The operations whose answer shows the caller's own record, and which. */
const SHOWS: Partial<Record<OperationId, keyof Snapshot>> = { me: 'user', wallet: 'wallet' };

/** The fields the profile maps of a record in an answer. */
function fieldsOf(t: CheckContext, ex: Exchange, part: keyof Snapshot): Record<string, unknown> {
  const value = t.api.read(ex, part);
  const map: Readonly<Record<string, string | undefined>> = part === 'user' ? t.profile.user : t.profile.wallet;
  return Object.fromEntries(Object.entries(map).map(([name, at]) => [name, pointer(value, at)]));
}

function succeeded(t: CheckContext, ex: Exchange, op: OperationId): boolean {
  return ex.status !== null && successStatuses(t.profile, op).includes(ex.status);
}

async function snapshot(t: CheckContext, account: Account, who: string, after: string): Promise<Snapshot> {
  const credential = { token: account.access };
  const me = await t.api.call('me', { credential });
  if (!succeeded(t, me, 'me')) fail(`${who}'s own token no longer reads ${who} ${after}`, me);
  if (!t.profile.operations.wallet) return { user: fieldsOf(t, me, 'user'), wallet: {} };
  const wallet = await t.api.call('wallet', { credential });
  if (!succeeded(t, wallet, 'wallet')) fail(`${who}'s own wallet no longer reads ${after}`, wallet);
  return { user: fieldsOf(t, me, 'user'), wallet: fieldsOf(t, wallet, 'wallet') };
}

/** A read naming B still shows A's own record, field by field, wherever it answered at all. */
function expectOwnRecord(t: CheckContext, ex: Exchange, op: OperationId, part: keyof Snapshot, mine: Snapshot): void {
  if (!succeeded(t, ex, op)) return;
  const shown = fieldsOf(t, ex, part);
  for (const [field, value] of Object.entries(mine[part])) {
    if (value !== undefined && JSON.stringify(shown[field]) !== JSON.stringify(value)) fail(`A's answer to ${op} naming B is not A's own ${part}: its ${field} is ${JSON.stringify(shown[field])}, A's is ${JSON.stringify(value)}`, ex);
  }
}

function expectUnchanged(t: CheckContext, before: Snapshot, now: Snapshot, op: OperationId, evidence: Exchange): void {
  for (const part of ['user', 'wallet'] as const) {
    for (const [field, value] of Object.entries(before[part])) {
      const actual = now[part][field];
      if (JSON.stringify(actual) !== JSON.stringify(value)) fail(`after A called ${op} naming B, B's ${part === 'wallet' ? 'wallet ' : ''}${field} changed from ${JSON.stringify(value)} to ${JSON.stringify(actual)}`, evidence);
    }
  }
}

/** Where an answer holds one of B's identifying values (its email, phone or username), or null. */
function whereB(value: unknown, b: Account, path = ''): string | null {
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    return [b.email, b.phone, b.username].some((own) => own !== '' && own.toLowerCase() === v) ? path || '(root)' : null;
  }
  if (!value || typeof value !== 'object') return null;
  for (const [key, v] of Object.entries(value)) {
    const found = whereB(v, b, `${path}/${key}`);
    if (found) return found;
  }
  return null;
}

type Naming = (id: unknown) => Pick<CallOptions, 'query' | 'extraFields' | 'pathUser'>;

/**
 * A calls every operation of `ops` naming B (`naming`), with ordinary input of its own. After
 * each call A's answer carries none of B's data and B reads back as before; at the end B's
 * password still signs B in, and B's refresh token still refreshes.
 */
async function probeEveryOperation(t: CheckContext, ops: readonly OperationId[], naming: Naming): Promise<void> {
  // B first, then A: a server that answers its latest user (ACC-EXP-003) does not pass B off to A.
  const b = await t.registerUser();
  let a = await t.registerUser();
  const me = await t.api.call('me', { credential: { token: b.access } });
  t.checks.expectOk(me);
  const id = userField(t.api, t.api.read(me, 'user'), 'id');
  if (typeof id !== 'string' && typeof id !== 'number') fail(`B's own answer names no id at ${t.profile.user.id ?? '(unmapped)'}`, me);
  if (String(id) === a.id) fail('A and B were given the same id', me);
  const before = await snapshot(t, b, 'B', 'before');
  for (const op of ops) {
    const password = newPassword(t.faker);
    const shows = SHOWS[op];
    const mine = shows ? await snapshot(t, a, 'A', `before calling ${op}`) : undefined;
    const opts = { credential: { token: a.access }, fields: ordinaryFields(t, op, a, password), ...naming(id) } as CallOptions<OperationId>;
    const ex = await t.api.call(op, opts);
    const leak = whereB(ex.json, b);
    if (leak) fail(`A's answer to ${op} naming B carries B's data at ${leak}`, ex);
    if (shows && mine) expectOwnRecord(t, ex, op, shows, mine);
    expectUnchanged(t, before, await snapshot(t, b, 'B', `after A called ${op} naming B`), op, ex);
    if (!SIGNS_OUT.includes(op)) continue;
    // The password changed where the server took the change; A signs in again either way.
    const changed = op === 'changePassword' && succeeded(t, ex, op);
    const current = changed ? password : a.password;
    a = { ...a, password: current, ...(await t.loginAs(loginId(t.profile, a), current)) };
  }
  const login = await attemptLogin(t.api, loginId(t.profile, b), b.password);
  expectThat(login, succeeded(t, login, 'login'), `B's password no longer signs B in after A called ${ops.join(', ')} naming B`);
  if (t.profile.operations.refresh && t.profile.request.refresh?.refresh) {
    const refreshed = await t.api.call('refresh', { fields: { refresh: b.refresh } });
    expectThat(refreshed, succeeded(t, refreshed, 'refresh'), `B's refresh token no longer refreshes after A called ${ops.join(', ')} naming B`);
  }
}

check('ACC-BOLA-001', async (t) => {
  await probeEveryOperation(t, protectedOperations(t, false), (id) => ({ query: Object.fromEntries(QUERY_NAMES.map((name) => [name, String(id)])) }));
});

check('ACC-BOLA-002', async (t) => {
  const names = bodyNames(t);
  await probeEveryOperation(t, protectedOperations(t, true), (id) => ({ extraFields: Object.fromEntries(names.map((name) => [name, id])) }));
});

check('ACC-BOLA-004', async (t) => {
  const named = protectedOperations(t, false).filter((op) => t.profile.operations[op]?.path.includes('{id}'));
  await probeEveryOperation(t, named, (id) => ({ pathUser: String(id) }));
});

function emailVerified(t: CheckContext, ex: Exchange): unknown {
  return userField(t.api, t.api.read(ex, 'user'), 'emailVerified');
}

async function expectUnverified(t: CheckContext, account: Account, who: string): Promise<void> {
  const me = await t.api.call('me', { credential: { token: account.access } });
  t.checks.expectOk(me);
  expectThat(me, emailVerified(t, me) === false, `${who}'s email is marked verified (${JSON.stringify(emailVerified(t, me))}) after A sent B's code`);
}

check('ACC-BOLA-003', async (t) => {
  const [a, b] = [await t.registerUser(), await t.registerUser()];
  const channel = t.profile.values.channel.email;
  // Both hold a live code: A's refusal is about whose code it is, not about having none.
  for (const account of [a, b]) t.checks.expectOk(await t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel } }));
  const own = await t.readOtp({ identifier: a.email, channel: 'email', purpose: 'verify' });
  const code = await t.readOtp({ identifier: b.email, channel: 'email', purpose: 'verify' });
  if (own === code) throw new Inconclusive("A's and B's codes happen to be equal");
  const ex = await t.api.call('verifyOtp', { credential: { token: a.access }, fields: { channel, code } });
  expectThat(ex, !succeeded(t, ex, 'verifyOtp'), `A's verification with B's code was accepted (${ex.status})`);
  await expectUnverified(t, a, 'A');
  await expectUnverified(t, b, 'B');
  // The code was B's and live: B's own verification with it still succeeds.
  const control = await t.api.call('verifyOtp', { credential: { token: b.access }, fields: { channel, code } });
  if (!succeeded(t, control, 'verifyOtp')) {
    if (control.throttled) fail('B verifying its own code', control);
    throw new Inconclusive(`B's own code did not verify B afterwards (${control.status}): the code read may not be B's`);
  }
});
