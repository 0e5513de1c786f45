/**
 * Resource exhaustion: inputs that cost a careless server far more than they cost the client (a
 * 1 MiB password to hash, a 12 MiB body, JSON nested 10,000 deep, 5,000 multipart parts). A
 * server may refuse them (any 4xx) or handle them; it must answer, without a 5xx, and promptly.
 *
 * "Promptly" has to hold on a loaded two-core machine and across a slow link, so it is relative:
 * each check first times the same operation with ordinary input (its baseline), and the hostile
 * request may take at most twenty times that, and never less than 5 s. The flow runs alone,
 * after the others, one check at a time, so that no check disturbs another's timing. A server that hashes a long
 * password for seconds is caught; one that answers everything slowly, or sits across the world,
 * is not blamed for it. The 12 MiB body is held to the run's --timeout alone: its transfer time
 * is the link's, not the server's.
 */
import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../helpers/harness/check.js';
import { check } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import { NotApplicable } from '../helpers/outcome.js';
import type { Exchange, OutgoingBody } from '../helpers/wire/http.js';
import { nest } from '../helpers/wire/bodies.js';
import { attemptLogin, newPassword, newUserInput, registerFields, uniqueEmail } from '../helpers/flows/users.js';

const MIB = 1024 * 1024;
/**
 * The floor of "promptly", and how many baselines a hostile request may take. Measured on a
 * two-core machine at a load average of 18: the reference server refused a 1 MiB password in
 * 3.2 s against a 233 ms baseline (14 times); a server that hashes it for seconds per request
 * is still far past 20 times an ordinary request.
 */
const PROMPT_FLOOR_MS = 5000;
const PROMPT_FACTOR = 20;

/** 1 MiB of password: masked wherever it shows by its member name, never registered (a 1 MiB needle in every mask). */
const HUGE_PASSWORD = 'Ab1#'.repeat(MIB / 4);

/** The evidence of a huge request, without its body: a report shows what was sent, not a mebibyte of it. */
function briefly(ex: Exchange, description: string): Exchange {
  const body = ex.request.body;
  if (!body) return ex;
  return { ...ex, request: { ...ex.request, body: { ...body, display: `<${description}>`, curlArgs: ['--data-binary', '@body'] } } };
}

function limitOf(baseline: Exchange): number {
  return Math.max(PROMPT_FLOOR_MS, PROMPT_FACTOR * baseline.durationMs);
}

/** An answer, not a 5xx; and, given a baseline, no slower than the limit it sets. */
function expectAnsweredPromptly(ex: Exchange, what: string, description: string, baseline?: Exchange): void {
  const shown = briefly(ex, description);
  if (ex.status === null) fail(`${what}: no answer (${ex.failure ?? 'unknown failure'}); a hostile input must be refused or handled, not hang or reset the connection`, shown);
  if (ex.status >= 500) fail(`${what}: server error ${ex.status}; a hostile input must be refused (4xx) or handled`, shown);
  if (!baseline) return;
  const limit = limitOf(baseline);
  if (ex.durationMs > limit) {
    fail(`${what}: answered after ${ex.durationMs} ms, more than ${limit} ms (${PROMPT_FACTOR} times the ${baseline.durationMs} ms of the same request with ordinary input, and at least ${PROMPT_FLOOR_MS} ms)`, shown, baseline);
  }
}

const PASSWORD_BODY = '1 MiB password';

let previous: Promise<unknown> = Promise.resolve();

/**
 * The checks of this flow run one after the other (vitest starts them together): each one's
 * hostile request would slow the others' baselines and setup, on the target and in the client.
 */
function oneAtATime(body: (t: CheckContext) => Promise<void>): (t: CheckContext) => Promise<void> {
  return (t) => {
    const run = previous.then(() => body(t));
    previous = run.catch(() => undefined);
    return run;
  };
}

/**
 * Sends a hostile request; a connection closed before any answer is sent again once. On a loaded
 * machine a pooled keep-alive connection can be closed by the server just as the client reuses
 * it, which says nothing of the input; a server that drops the connection because of the input
 * drops it again.
 */
async function hostile(send: () => Promise<Exchange>): Promise<Exchange> {
  const first = await send();
  return first.status === null && first.failureKind === 'dead' ? send() : first;
}

check('ACC-DOS-001', oneAtATime(async (t) => {
  const { api, profile } = t;
  // The user first: the setup is done before any hostile request.
  const account = await t.registerUser();
  const username = account[profile.loginWith];
  if (profile.operations.register && profile.request.register?.password) {
    const baseline = await api.call('register', { fields: registerFields(newUserInput(t.faker, profile)) });
    const ex = await hostile(() => api.call('register', { fields: registerFields({ ...newUserInput(t.faker, profile), password: HUGE_PASSWORD, passwordConfirm: HUGE_PASSWORD }) }));
    expectAnsweredPromptly(ex, 'registration with a 1 MiB password', PASSWORD_BODY, baseline);
  }
  if (profile.operations.login && profile.request.login?.password) {
    // The baseline is a wrong ordinary password: the server verifies a hash either way.
    const baseline = await attemptLogin(api, username, newPassword(t.faker));
    const ex = await hostile(() => attemptLogin(api, username, HUGE_PASSWORD));
    expectAnsweredPromptly(ex, 'login with a 1 MiB password', PASSWORD_BODY, baseline);
  }
  if (profile.operations.changePassword && profile.request.changePassword?.newPassword) {
    const credential = { token: account.access };
    const ordinary = newPassword(t.faker);
    // The baseline is refused for its wrong old password, after the server checked it against the hash.
    const baseline = await api.call('changePassword', { credential, fields: { oldPassword: `${account.password}x`, newPassword: ordinary, newPasswordConfirm: ordinary } });
    const ex = await hostile(() => api.call('changePassword', { credential, fields: { oldPassword: account.password, newPassword: HUGE_PASSWORD, newPasswordConfirm: HUGE_PASSWORD } }));
    expectAnsweredPromptly(ex, 'a password change to a 1 MiB password', PASSWORD_BODY, baseline);
  }
}));

/** A JSON body sent as it is, shown by a description in reports. */
function hugeJson(text: string, description: string): OutgoingBody {
  return { bytes: Buffer.from(text), contentType: 'application/json', display: `<${description}>`, curlArgs: ['--data-binary', '@body.json'] };
}

/**
 * A login body in the profile's wire names for nobody, with JSON text put in raw: as the
 * username, or as a member of the suite's own that no API takes (the bulk of a large body).
 */
function loginWith(t: CheckContext, raw: { username?: string; padding?: string }): string {
  const marker = `__${randomBytes(6).toString('hex')}__`;
  const fields: Record<string, unknown> = { ...t.profile.constants?.login, [t.api.wireName('login', 'username')]: raw.username === undefined ? nobody(t) : marker, [t.api.wireName('login', 'password')]: newPassword(t.faker) };
  if (raw.padding !== undefined) fields.conformance_padding = marker;
  return JSON.stringify(nest(fields)).replace(`"${marker}"`, raw.username ?? raw.padding ?? '');
}

function nobody(t: CheckContext): string {
  return t.profile.loginWith === 'email' ? uniqueEmail(t.faker) : `nobody${randomBytes(5).toString('hex')}`;
}

/** A login for nobody, with ordinary values: the baseline of the hostile login bodies. */
function ordinaryLogin(t: CheckContext): Promise<Exchange> {
  return attemptLogin(t.api, nobody(t), newPassword(t.faker));
}

const LARGE_BODY_BYTES = 12 * MIB;

check('ACC-DOS-002', oneAtATime(async (t) => {
  await ordinaryLogin(t);
  // The bulk is a member no API takes, so that the body's size is the subject and not a field's
  // length (ACC-ROB-001): an array of 1 KiB strings.
  const description = `${LARGE_BODY_BYTES / MIB} MiB JSON login body, the bulk an array of strings in a member of the suite's own`;
  const padding = JSON.stringify(Array.from({ length: LARGE_BODY_BYTES / 1024 }, () => 'a'.repeat(1021)));
  const ex = await hostile(() => t.api.callRaw('login', hugeJson(loginWith(t, { padding }), description)));
  expectAnsweredPromptly(ex, `a ${LARGE_BODY_BYTES / MIB} MiB JSON body`, description);
}));

const NESTING = 10_000;

check('ACC-DOS-003', oneAtATime(async (t) => {
  const baseline = await ordinaryLogin(t);
  const description = `JSON login body whose username is ${NESTING.toLocaleString('en')} nested arrays`;
  const ex = await hostile(() => t.api.callRaw('login', hugeJson(loginWith(t, { username: `${'['.repeat(NESTING)}${']'.repeat(NESTING)}` }), description)));
  expectAnsweredPromptly(ex, `a JSON body nested ${NESTING.toLocaleString('en')} deep`, description, baseline);
}));

const PARTS = 5000;

/** multipart/form-data of one field sent again and again. */
function manyParts(name: string, value: string, count: number): OutgoingBody {
  const boundary = `----conformance${randomBytes(8).toString('hex')}`;
  const part = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const text = `${part.repeat(count)}--${boundary}--\r\n`;
  return { bytes: Buffer.from(text), contentType: `multipart/form-data; boundary=${boundary}`, display: `<${count} parts named ${name}>`, curlArgs: ['--data-binary', '@body'] };
}

check('ACC-DOS-004', oneAtATime(async (t) => {
  if (t.profile.operations.updateProfile?.body !== 'multipart') throw new NotApplicable(`the ${t.profile.name} profile's updateProfile takes no multipart body`);
  const field = (['fullName', 'bio', 'email'] as const).find((f) => t.profile.request.updateProfile?.[f]);
  if (!field) throw new NotApplicable(`the ${t.profile.name} profile's updateProfile takes none of fullName, bio, email`);
  const account = await t.registerUser();
  const credential = { token: account.access };
  const value = field === 'email' ? uniqueEmail(t.faker) : t.faker.person.fullName();
  const baseline = await t.api.call('updateProfile', { credential, fields: { [field]: value } });
  const ex = await hostile(() => t.api.callRaw('updateProfile', manyParts(t.api.wireName('updateProfile', field), value, PARTS), credential));
  expectAnsweredPromptly(ex, `a multipart profile update of ${PARTS.toLocaleString('en')} parts`, `${PARTS} parts`, baseline);
}));
