import { randomBytes } from 'node:crypto';
import { check, type CheckContext } from '../helpers/harness/check.js';
import { fail, throttledReason } from '../helpers/checks.js';
import { Inconclusive } from '../helpers/outcome.js';
import { Api } from '../helpers/wire/api.js';
import type { Exchange } from '../helpers/wire/http.js';
import { debugSigns } from '../helpers/wire/debug-signs.js';
import { registerSecret } from '../helpers/wire/mask.js';
import { operationsOf, type OperationId } from '../helpers/wire/profile.js';
import { attemptLogin, loginId, newUserInput, registerFields, tokensOf, uniqueEmail, type Account } from '../helpers/flows/users.js';

/** The whole body as the server sent it (decoded), not the display cut. */
function bodyOf(ex: Exchange): string {
  return ex.bytes.toString('utf8');
}

/**
 * Every probe was answered: a request with no answer, or one the target throttled, says nothing
 * about what its answer would have shown (the first fails the check, the second makes it inconclusive).
 */
function expectAnswered(answers: readonly Exchange[]): void {
  const throttled = answers.find((ex) => ex.throttled);
  if (throttled) throw new Inconclusive(throttledReason(throttled));
  const silent = answers.filter((ex) => ex.status === null);
  if (silent.length) fail(`${silent.length} of ${answers.length} requests got no answer to inspect: ${silent[0]?.failure ?? 'unknown failure'}`, ...silent.slice(0, 2));
}

/** A protected operation to send a broken credential to, when the profile has one. */
function protectedOperation(t: CheckContext): OperationId | undefined {
  return operationsOf(t.profile).find((op) => t.profile.operations[op]?.auth);
}

/** Requests that make a careless server fail: unknown paths, wrong methods, broken bodies, wrong types, broken tokens. */
function provocations(t: CheckContext): Promise<Exchange>[] {
  const { api } = t;
  const json = (text: string) => Api.raw(text, 'application/json');
  const sent = [
    api.unknownEndpoint(),
    api.callWithMethod('login', 'DELETE'),
    api.callRaw('login', json('{"username": "a", ')),
    api.callRaw('login', json('[1, 2, 3]')),
    api.callRaw('login', Api.raw('<login><username>a</username></login>', 'text/xml')),
    api.call('login', { fields: { username: ['a'], password: { $gt: '' } } }),
    api.call('login', { fields: { username: 'x'.repeat(20_000), password: null } }),
  ];
  if (t.profile.operations.register) {
    const fields = registerFields(newUserInput(t.faker, t.profile));
    sent.push(api.call('register', { fields: { ...fields, email: { nested: true }, password: 12345678, passwordConfirm: 12345678 } }));
    sent.push(api.callRaw('register', json('{"email": "\\ud800", "password": }')));
  }
  if (t.profile.operations.refresh) sent.push(api.call('refresh', { fields: { refresh: 'not.a.token' } }));
  const guarded = protectedOperation(t);
  if (guarded) {
    sent.push(api.call(guarded, { credential: { header: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.%%%' } }));
    sent.push(api.call(guarded, { credential: { header: 'Basic ::::' } }));
  }
  return sent;
}

check('ACC-LEAK-001', async (t) => {
  const answers = await Promise.all(provocations(t));
  const leaking = answers.map((ex) => ({ ex, signs: debugSigns(ex) })).filter((a) => a.signs.length > 0);
  if (leaking.length) {
    const list = leaking.map(({ ex, signs }) => `${ex.request.method} ${new URL(ex.request.url).pathname} → ${ex.status ?? ex.failure}: ${signs.join('; ')}`).join('\n  - ');
    fail(`${leaking.length} of ${answers.length} answers to broken requests show internals:\n  - ${list}`, ...leaking.slice(0, 2).map((a) => a.ex));
  }
  expectAnswered(answers);
});

/** A password no answer has a reason to contain: random, so that finding it means it was echoed. */
function distinctivePassword(length: number): string {
  const body = randomBytes(16).toString('base64url').replace(/[-_]/g, '');
  return registerSecret(`Qz${body}`.slice(0, Math.max(4, length)));
}

/** The forms an echo of a password may take in a body: as sent, JSON-escaped, URL-encoded. */
function echoes(ex: Exchange, password: string): boolean {
  const body = bodyOf(ex);
  return [password, JSON.stringify(password).slice(1, -1), encodeURIComponent(password)].some((form) => body.includes(form));
}

interface Probe {
  readonly what: string;
  readonly ex: Exchange;
  readonly passwords: readonly string[];
}

async function passwordProbes(t: CheckContext, account: Account): Promise<Probe[]> {
  const { api, profile } = t;
  const probes: Promise<Probe>[] = [];
  const probe = (what: string, passwords: string[], sent: Promise<Exchange>) => probes.push(sent.then((ex) => ({ what, ex, passwords })));
  const wrong = distinctivePassword(16);
  probe('a wrong password at login', [wrong], attemptLogin(api, loginId(profile, account), wrong));
  const unknown = distinctivePassword(16);
  probe('a login for an unknown account', [unknown], attemptLogin(api, uniqueEmail(t.faker), unknown));
  const register = profile.request.register ?? {};
  if (profile.operations.register && register.password) {
    const short = distinctivePassword(profile.rules.minPasswordLength - 1);
    const fields = registerFields(newUserInput(t.faker, profile));
    probe('a too-short password at registration', [short], api.call('register', { fields: { ...fields, password: short, passwordConfirm: short } }));
    if (register.passwordConfirm) {
      const [first, second] = [distinctivePassword(16), distinctivePassword(16)];
      probe('a mismatched confirmation at registration', [first, second], api.call('register', { fields: { ...registerFields(newUserInput(t.faker, profile)), password: first, passwordConfirm: second } }));
    }
  }
  const change = profile.request.changePassword ?? {};
  if (profile.operations.changePassword && change.oldPassword && change.newPassword) {
    const [old, next] = [distinctivePassword(16), distinctivePassword(16)];
    probe('a wrong old password at change-password', [old, next], api.call('changePassword', { credential: { token: account.access }, fields: { oldPassword: old, newPassword: next, newPasswordConfirm: next } }));
  }
  return Promise.all(probes);
}

check('ACC-LEAK-002', async (t) => {
  const probes = await passwordProbes(t, await t.registerUser());
  const echoed = probes.filter((p) => p.passwords.some((password) => echoes(p.ex, password)));
  if (echoed.length) fail(`the answer echoes the password submitted, to ${echoed.map((p) => p.what).join('; ')}`, ...echoed.slice(0, 2).map((p) => p.ex));
  expectAnswered(probes.map((p) => p.ex));
});

/** RFC 9111 §5.2.2.5: no-store among the directives, whatever else the header says. */
function forbidsStoring(ex: Exchange): boolean {
  return (ex.headers['cache-control'] ?? '').split(',').some((d) => d.trim().toLowerCase() === 'no-store');
}

/** The answers of every operation that hands out tokens, each judged only where it did carry one. */
async function tokenAnswers(t: CheckContext): Promise<{ what: string; ex: Exchange }[]> {
  const { api, profile } = t;
  const answers: { what: string; ex: Exchange; carries: boolean }[] = [];
  let account: Pick<Account, 'email' | 'phone' | 'username' | 'password'>;
  if (profile.operations.register) {
    const input = newUserInput(t.faker, profile);
    const ex = await api.call('register', { fields: registerFields(input) });
    t.checks.expectOk(ex);
    answers.push({ what: 'registration', ex, carries: tokensOf(api, ex) !== undefined });
    account = input;
  } else {
    account = await t.registerUser();
  }
  const login = await attemptLogin(api, loginId(profile, account), account.password);
  t.checks.expectOk(login);
  const tokens = tokensOf(api, login);
  answers.push({ what: 'login', ex: login, carries: tokens !== undefined });
  if (profile.operations.refresh && profile.request.refresh?.refresh && tokens) {
    const ex = await api.call('refresh', { fields: { refresh: tokens.refresh } });
    t.checks.expectOk(ex);
    answers.push({ what: 'refresh', ex, carries: typeof api.read(ex, 'refreshAccess') === 'string' });
  }
  return answers.filter((a) => a.carries);
}

check('ACC-LEAK-003', async (t) => {
  const answers = await tokenAnswers(t);
  if (!answers.some((a) => a.what === 'login')) fail('the login answer carries no tokens to judge', ...answers.map((a) => a.ex));
  const cacheable = answers.filter((a) => !forbidsStoring(a.ex));
  if (cacheable.length) {
    const list = cacheable.map((a) => `${a.what} (Cache-Control: ${a.ex.headers['cache-control'] ?? 'none'})`).join(', ');
    fail(`answers carrying tokens may be stored by a cache: ${list}`, ...cacheable.slice(0, 2).map((a) => a.ex));
  }
});
