/**
 * `accounts-conformance doctor`: profile authoring help. Each mapped operation is called once,
 * with a valid request, in the order an app would call them; each answer is compared with what
 * the profile says (status, envelope, where the tokens and the user are, the error shape), and
 * where they differ the profile keys to change are named, with the value the answer suggests.
 * Nothing here is a verdict about the API: only whether the profile describes it.
 */
import type { Faker } from '@faker-js/faker';
import { faker as english } from '@faker-js/faker/locale/en';
import { Checks } from '../helpers/checks.js';
import { otpReader, type OtpReader } from '../helpers/flows/otp.js';
import { mailsToken, readResetSecret, resetPassword, type ResetSecret } from '../helpers/flows/reset.js';
import { OtpUnavailable } from '../helpers/outcome.js';
import { provisioner } from '../helpers/flows/provision.js';
import { loginId, newPassword, newUserInput, registerFields, tokensOf, userField, type NewUser, type Tokens } from '../helpers/flows/users.js';
import type { RunSettings } from '../helpers/harness/runtime.js';
import { Api, type Credential } from '../helpers/wire/api.js';
import { HttpClient, type Exchange } from '../helpers/wire/http.js';
import { mask, registerSecret } from '../helpers/wire/mask.js';
import { pointer, refusalStatuses, successStatuses, type OperationId, type Refusal } from '../helpers/wire/profile.js';

/** What one operation answered, against what the profile says. */
interface Finding {
  readonly op: OperationId | 'error shape';
  readonly request: string;
  /** What was found where the profile said (kept short). */
  readonly seen: string[];
  /** What differs; each names the profile key and, where the answer shows it, the value to set. */
  readonly problems: string[];
  /** Why the operation could not be tried, where that is no fault of the profile (no OTP source). */
  readonly untried?: string;
}

const TOKEN_KEY = /access|refresh|token|jwt|session/i;
const JWT = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/;
const ID_KEYS = ['id', 'pk', '_id', 'objectId', 'uuid', 'user_id', 'userId'];

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Every JSON pointer in `value` at which `match` holds, shallowest first. */
function findPointers(value: unknown, match: (v: unknown, key: string) => boolean, at = '', key = ''): string[] {
  const here = at !== '' && match(value, key) ? [at] : [];
  if (value === null || typeof value !== 'object') return here;
  const children = Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => findPointers(v, match, `${at}/${escapePointer(k)}`, k));
  return [...here, ...children].sort((a, b) => a.split('/').length - b.split('/').length);
}

function parentOf(ptr: string): string {
  return ptr.slice(0, ptr.lastIndexOf('/'));
}

function lastOf(ptr: string): string {
  return ptr.slice(ptr.lastIndexOf('/'));
}

/** A suggestion: profile keys (dotted) and their values. Not JSON, which masking would read as credentials. */
function set(keys: Record<string, unknown>): string {
  return `→ set ${Object.entries(keys).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')}`;
}

function looksLikeToken(v: unknown, key: string): boolean {
  return typeof v === 'string' && v.length >= 16 && (JWT.test(v) || TOKEN_KEY.test(key));
}

/** The first lines of an answer, masked: enough to see what it is. */
function glimpse(ex: Exchange): string {
  if (ex.status === null) return `no answer: ${ex.failure ?? 'unknown failure'}`;
  const body = ex.text.replace(/\s+/g, ' ').trim();
  return `${ex.status} ${ex.contentType || 'no content-type'}${body ? `: ${body.length > 160 ? `${body.slice(0, 160)}…` : body}` : ''}`;
}

/** An answer whose body is worth reading for tokens and the user: a 2xx, whatever the profile's status. */
function succeeded(ex: Exchange): boolean {
  return ex.status !== null && ex.status >= 200 && ex.status < 300;
}

class Doctor {
  readonly findings: Finding[] = [];
  private readonly checks: Checks;
  /** The configured OTP source, for codes and reset secrets. */
  private readonly otp: OtpReader;

  constructor(
    private readonly api: Api,
    private readonly settings: RunSettings,
    private readonly faker: Faker,
  ) {
    this.checks = new Checks(api.profile);
    this.otp = otpReader(settings.otpSource, api.client, settings.timeoutMs);
  }

  private get profile() {
    return this.api.profile;
  }

  private has(op: OperationId): boolean {
    return this.profile.operations[op] !== undefined;
  }

  /** Calls an operation once and judges its status and success envelope; null when unmapped. */
  private async call<Op extends OperationId>(op: Op, fields: Record<string, unknown>, credential: Credential = null, files?: Record<string, unknown>): Promise<{ ex: Exchange; finding: Finding } | null> {
    if (!this.has(op)) return null;
    const ex = await this.api.call(op, { fields, credential, files } as never);
    return { ex, finding: this.judge(op, ex) };
  }

  /** Judges an answer of an operation: its status and success envelope. */
  private judge(op: OperationId, ex: Exchange): Finding {
    const operation = this.api.operation(op);
    const finding: Finding = { op, request: `${operation.method} ${operation.path}`, seen: [], problems: [] };
    this.findings.push(finding);
    const expected = successStatuses(this.profile, op);
    if (ex.status !== null && expected.includes(ex.status)) {
      finding.seen.push(`${ex.status}`);
      this.envelope(ex, finding, 'success');
    } else {
      finding.problems.push(`expected ${expected.join(' or ')} (operations.${op}.status), got ${glimpse(ex)}`);
      finding.problems.push(...this.statusHints(op, ex));
    }
    return finding;
  }

  private statusHints(op: OperationId, ex: Exchange): string[] {
    const s = ex.status;
    if (s === null) return [];
    if (s >= 200 && s < 300) return [set({ [`operations.${op}.status`]: s })];
    if (s === 404) return [`→ check operations.${op}.path ("${this.api.operation(op).path}", resolved against the base URL ${this.api.baseUrl})`];
    if (s === 405) return [`→ check operations.${op}.method ("${this.api.operation(op).method}")`];
    if (s === 415) return [`→ check operations.${op}.body ("${this.api.operation(op).body}": json, form, multipart or none)`];
    if (s === 401 || s === 403) return [`→ check operations.${op}.auth and the profile's auth header/scheme (auth.header, auth.scheme), or a constant header the API needs`];
    if (s === 400 || s === 422) return [`→ check request.${op} (the wire names of the fields) and constants.${op}`];
    return [];
  }

  private envelope(ex: Exchange, finding: Finding, kind: 'success' | 'error'): void {
    try {
      if (kind === 'success') this.checks.expectSuccessEnvelope(ex);
      else this.checks.expectErrorEnvelope(ex);
      const schema = this.profile.envelope[kind];
      if (ex.status === 204) finding.seen.push('no body');
      else if (schema) finding.seen.push(`${kind} envelope fits ${schema}`);
    } catch (error) {
      const first = (error as Error).message.split('\n').slice(0, 3).join('; ');
      finding.problems.push(`the ${kind} envelope (envelope.${kind}: ${JSON.stringify(this.profile.envelope[kind] ?? null)}) does not fit: ${first}`);
    }
  }

  /** Where the tokens are: at the profile's pointers, or else where the answer has them. */
  private tokens(ex: Exchange, finding: Finding, where: 'auth' | 'refresh'): Tokens | undefined {
    if (!succeeded(ex)) return undefined;
    const r = this.profile.response;
    if (where === 'refresh') {
      const access = this.api.read(ex, 'refreshAccess');
      if (typeof access === 'string') {
        finding.seen.push(`access token at ${r.refreshAccess}`);
        return { access, refresh: '' } as Tokens;
      }
      const found = findPointers(ex.json, looksLikeToken);
      for (const p of found) registerSecret(pointer(ex.json, p) as string);
      finding.problems.push(`no access token at ${r.refreshAccess ?? '(unset)'} (response.refreshAccess)${found[0] ? ` ${set({ 'response.refreshAccess': found[0] })}` : ''}`);
      return undefined;
    }
    const tokens = tokensOf(this.api, ex);
    if (tokens) {
      finding.seen.push(`access token at ${`${r.authTokens ?? ''}${r.tokenAccess ?? ''}` || 'the root'}`);
      return tokens;
    }
    const found = findPointers(ex.json, looksLikeToken);
    for (const p of found) registerSecret(pointer(ex.json, p) as string);
    const access = found.find((p) => /access|jwt|token|session/i.test(lastOf(p)) && !/refresh/i.test(lastOf(p))) ?? found[0];
    if (!access) {
      const cookie = ex.headers['set-cookie'] ? ' (the answer sets a cookie: a session cookie is not expressible yet, a refresh token in one is: cookie:<name>)' : '';
      finding.problems.push(`no tokens at ${r.authTokens ?? '(unset)'} + ${r.tokenAccess ?? '(unset)'} (response.authTokens, response.tokenAccess), and none anywhere in the answer${cookie}`);
      return undefined;
    }
    const refresh = found.find((p) => /refresh/i.test(lastOf(p)) && parentOf(p) === parentOf(access));
    const keys: Record<string, string> = { 'response.authTokens': parentOf(access), 'response.tokenAccess': lastOf(access) };
    if (refresh) keys['response.tokenRefresh'] = lastOf(refresh);
    // A refresh token set in a cookie (an HttpOnly one, out of the app's reach).
    const refreshCookie = /(?:^|,)\s*([^=;,\s]*refresh[^=;,\s]*)=/i.exec(ex.headers['set-cookie'] ?? '')?.[1];
    if (!refresh && refreshCookie) keys['response.tokenRefresh'] = `cookie:${refreshCookie}`;
    finding.problems.push(`no tokens at ${r.authTokens ?? '(unset)'} + ${r.tokenAccess ?? '(unset)'}; the answer has a token at ${access}${refresh ? ` and a refresh token at ${refresh}` : ''} ${set(keys)}`);
    // The rest of the operations are tried with the tokens where the answer has them.
    const [a, f] = [pointer(ex.json, access), refresh === undefined ? undefined : pointer(ex.json, refresh)];
    return typeof a === 'string' ? ({ access: a, refresh: typeof f === 'string' ? f : '' } as Tokens) : undefined;
  }

  /** Where the user is, by the email it was registered with. */
  private user(ex: Exchange, finding: Finding, at: 'authUser' | 'loginUser' | 'user', input: NewUser): void {
    const ptr = this.profile.response[at];
    if (ptr === undefined || !succeeded(ex)) return;
    const user = this.api.read(ex, at);
    const emailPtr = this.profile.user.email;
    const email = user === undefined ? undefined : userField(this.api, user, 'email');
    if (user !== null && typeof user === 'object' && (emailPtr === undefined || email === input.email)) {
      finding.seen.push(`user at ${ptr || 'the root'}`);
      const idPtr = this.profile.user.id;
      if (idPtr !== undefined && pointer(user, idPtr) === undefined) {
        const idKey = ID_KEYS.find((k) => Object.hasOwn(user, k));
        finding.problems.push(`the user has no id at ${idPtr} (user.id)${idKey ? ` ${set({ 'user.id': `/${idKey}` })}` : ''}`);
      }
      return;
    }
    const holders = findPointers(ex.json, (v) => v !== null && typeof v === 'object' && Object.values(v).includes(input.email));
    const holder = holders[holders.length - 1];
    if (!holder && user !== null && typeof user === 'object') {
      finding.problems.push(`the user at ${ptr} does not carry the email at ${emailPtr} (user.email)`);
      return;
    }
    if (!holder) {
      finding.problems.push(`no user at ${ptr} (response.${at}), and no object in the answer carries the registered email`);
      return;
    }
    const emailKey = Object.entries(pointer(ex.json, holder) as Record<string, unknown>).find(([, v]) => v === input.email)?.[0];
    const keys: Record<string, string> = {};
    if (holder !== ptr) keys[`response.${at}`] = holder;
    if (emailKey && `/${escapePointer(emailKey)}` !== emailPtr) keys['user.email'] = `/${escapePointer(emailKey)}`;
    finding.problems.push(`no user at ${ptr || 'the root'} (response.${at}) with the email at ${emailPtr}; the answer has it at ${holder} ${set(keys)}`);
  }

  /** A new user of the doctor's own: registered (judged) or provisioned. */
  private async account(): Promise<{ input: NewUser; tokens?: Tokens }> {
    const input = newUserInput(this.faker, this.profile);
    if (this.has('register')) {
      const called = await this.call('register', registerFields(input));
      if (called) {
        this.user(called.ex, called.finding, 'authUser', input);
        if (this.profile.registerIssuesTokens !== false) return { input, tokens: this.tokens(called.ex, called.finding, 'auth') };
      }
      return { input };
    }
    const provision = provisioner(this.settings.provision, this.api.client, this.settings.timeoutMs);
    if (!provision) {
      this.findings.push({ op: 'login', request: '(no user)', seen: [], problems: ['the profile has no register operation and no --provision source makes a user: only the error shape can be tried'] });
      return { input };
    }
    await provision(input);
    return { input };
  }

  async run(): Promise<void> {
    const { input, tokens: registered } = await this.account();
    let password = input.password;
    let tokens = registered;
    const login = await this.call('login', { username: loginId(this.profile, input), password });
    if (login) {
      tokens = this.tokens(login.ex, login.finding, 'auth') ?? tokens;
      this.user(login.ex, login.finding, 'loginUser', input);
    }
    const credential: Credential = tokens ? { token: tokens.access } : null;
    if (tokens?.refresh) {
      const refreshed = await this.call('refresh', { refresh: tokens.refresh });
      if (refreshed) this.tokens(refreshed.ex, refreshed.finding, 'refresh');
    }
    if (!credential) {
      this.findings.push({ op: 'me', request: '(no token)', seen: [], problems: ['no access token was found, so the signed-in operations were not tried'] });
    } else {
      const me = await this.call('me', {}, credential);
      if (me) this.user(me.ex, me.finding, 'user', input);
      await this.call('wallet', {}, credential);
      const mapped = this.profile.request.updateProfile ?? {};
      if (mapped.bio) await this.call('updateProfile', { bio: this.faker.lorem.sentence() }, credential);
      else if (mapped.fullName) await this.call('updateProfile', { fullName: this.faker.person.fullName() }, credential);
      await this.call('updateLocation', { latitude: 33.6844, longitude: 73.0479 }, credential);
      if (this.profile.otpStyle === 'verify') await this.sendAndVerify(credential, input);
      const next = `${password}x9`;
      const changed = await this.call('changePassword', { oldPassword: password, newPassword: next, newPasswordConfirm: next }, credential);
      if (changed?.finding.problems.length === 0) password = next;
    }
    if (this.profile.otpStyle === 'sign-in') await this.signIn(input);
    if (tokens && this.has('logout')) {
      // A password change may have ended the session (ASVS 5.0 7.4.3): a fresh one is logged out.
      const session = password === input.password ? tokens : await this.freshSession(input, password);
      if (session) await this.call('logout', { refresh: session.refresh }, { token: session.access });
    }
    // Last of the user's: a reset may end the sessions of the user (ASVS 5.0 7.4.3).
    await this.reset(input);
    await this.errorShape(input);
  }

  /** Tokens of a new login, not judged (the login was); undefined when it gives none. */
  private async freshSession(input: NewUser, password: string): Promise<Tokens | undefined> {
    const ex = await this.api.call('login', { fields: { username: loginId(this.profile, input), password } });
    return succeeded(ex) ? tokensOf(this.api, ex) : undefined;
  }

  /**
   * A password reset: request it, read the secret through the OTP source, and set a new password
   * with it, in the steps of the profile's reset style (helpers/flows/reset.ts). Each step's
   * answer is judged; without a way to read the secret the reset cannot be confirmed, which is
   * said, and is no fault of the profile.
   */
  private async reset(input: NewUser): Promise<void> {
    const requested = await this.call('resetRequest', { identifier: input.email });
    if (!requested || !this.has('resetConfirm')) return;
    const confirm = this.api.operation('resetConfirm');
    const untried = (why: string) => this.findings.push({ op: 'resetConfirm', request: `${confirm.method} ${confirm.path}`, seen: [], problems: [], untried: why });
    if (requested.finding.problems.length) return void untried('the reset request was not accepted as the profile says');
    if (!this.otp.available) return void untried(`${this.otp.description}, so the reset ${mailsToken(this.profile) ? 'link' : 'code'} cannot be read`);
    let secret: ResetSecret;
    try {
      secret = await readResetSecret({ api: this.api, profile: this.profile, otp: this.otp }, input);
    } catch (error) {
      if (error instanceof OtpUnavailable) return void untried(error.message);
      this.findings.push({ op: 'resetConfirm', request: '(not sent)', seen: [], problems: [`no reset secret could be read from the ${this.otp.description}: ${(error as Error).message}`] });
      return;
    }
    // Every step of the reset style is judged as it answers.
    const api = this.judgingApi();
    await resetPassword({ api, profile: this.profile, otp: this.otp }, input, secret, newPassword(this.faker));
  }

  /** The API, with each answer of a call judged as the doctor judges its own calls. */
  private judgingApi(): Api {
    const judged = Object.create(this.api) as Api;
    judged.call = async (op, opts) => {
      const ex = await this.api.call(op, opts);
      this.judge(op, ex);
      return ex;
    };
    return judged;
  }

  /** Sign-in by a code sent to a phone (otpStyle sign-in): no account needed, tokens expected. */
  private async signIn(input: NewUser): Promise<void> {
    const sent = await this.call('sendOtp', { phone: input.phone });
    if (!sent || sent.finding.problems.length || !this.has('verifyOtp')) return;
    if (!this.otp.available) return;
    try {
      const code = await this.otp.read({ identifier: input.phone, channel: 'phone', purpose: 'verify' });
      const signedIn = await this.call('verifyOtp', { phone: input.phone, code });
      if (signedIn && !signedIn.finding.problems.length) this.tokens(signedIn.ex, signedIn.finding, 'auth');
    } catch (error) {
      this.findings.push({ op: 'verifyOtp', request: '(not sent)', seen: [], problems: [`no code could be read from the OTP source: ${(error as Error).message}`] });
    }
  }

  private async sendAndVerify(credential: Credential, input: NewUser): Promise<void> {
    const channel = this.profile.values.channel.email;
    const sent = await this.call('sendOtp', { channel, email: input.email }, credential);
    if (!sent || sent.finding.problems.length || !this.has('verifyOtp')) return;
    if (!this.otp.available) return;
    try {
      const code = await this.otp.read({ identifier: input.email, channel: 'email', purpose: 'verify' });
      await this.call('verifyOtp', { channel, code }, credential);
    } catch (error) {
      this.findings.push({ op: 'verifyOtp', request: '(not sent)', seen: [], problems: [`no code could be read from the OTP source: ${(error as Error).message}`] });
    }
  }

  /** One refusal: a registration with a malformed email (or a login with a wrong password). */
  private async errorShape(input: NewUser): Promise<void> {
    const op: OperationId = this.has('register') ? 'register' : 'login';
    if (!this.has(op)) return;
    const kind: Refusal = op === 'register' ? 'invalid' : 'badCredentials';
    const fields = op === 'register' ? registerFields({ ...newUserInput(this.faker, this.profile), email: 'not-an-email' }) : { username: loginId(this.profile, input), password: 'Wrong-password-1' };
    const ex = await this.api.call(op, { fields });
    const operation = this.api.operation(op);
    const finding: Finding = { op: 'error shape', request: `${operation.method} ${operation.path} (${op === 'register' ? 'a malformed email' : 'a wrong password'})`, seen: [], problems: [] };
    this.findings.push(finding);
    const expected = refusalStatuses(this.profile, kind, op);
    if (ex.status === null || !expected.includes(ex.status)) {
      finding.problems.push(`expected ${expected.join(' or ')} (refusals.${kind}), got ${glimpse(ex)}${ex.status !== null && ex.status >= 400 && ex.status < 500 ? ` ${set({ [`refusals.${kind}`]: [ex.status] })}` : ''}`);
      return;
    }
    finding.seen.push(`${ex.status}`);
    this.envelope(ex, finding, 'error');
    if (op !== 'register') return;
    const errorsPtr = this.profile.response.errors;
    const wire = this.profile.request.register?.email;
    if (errorsPtr === undefined || !wire) return;
    const errors = pointer(ex.json, errorsPtr);
    const top = wire.split('.')[0] ?? wire;
    if (errors !== null && typeof errors === 'object' && (Object.hasOwn(errors, wire) || Object.hasOwn(errors, top))) {
      finding.seen.push(`field errors at ${errorsPtr || 'the root'}`);
      return;
    }
    const holder = findPointers(ex.json, (v, key) => key === wire || key === top || v === wire)[0];
    finding.problems.push(`no error for ${wire} under ${errorsPtr} (response.errors)${holder ? `; the answer names it at ${holder} ${set({ 'response.errors': parentOf(holder) })}` : ''}`);
  }
}

/** Runs the doctor and prints its findings; exit 0 when every mapped operation answered as the profile says. */
export async function runDoctor(settings: RunSettings, print: (line: string) => void): Promise<number> {
  const client = new HttpClient({ timeoutMs: settings.timeoutMs, maxBodyBytes: settings.maxBodyBytes, concurrency: 4 });
  const api = new Api(client, settings.profile, settings.baseUrl);
  const faker = new (english.constructor as typeof Faker)({ locale: english.rawDefinitions });
  faker.seed(settings.seed);
  const doctor = new Doctor(api, settings, faker);
  await doctor.run();
  const width = Math.max(...doctor.findings.map((f) => f.op.length));
  const out = (line: string) => print(mask(line));
  out(`profile ${settings.profile.name} against ${settings.baseUrl}: each mapped operation once, with a valid request`);
  for (const f of doctor.findings) {
    if (f.untried !== undefined) {
      out(`- ${f.op.padEnd(width)}  ${f.request}: not tried: ${f.untried}`);
      continue;
    }
    out(`${f.problems.length ? '✗' : '✓'} ${f.op.padEnd(width)}  ${f.request}${f.seen.length ? `: ${f.seen.join('; ')}` : ''}`);
    for (const p of f.problems) out(`    ${p}`);
  }
  const tried = doctor.findings.filter((f) => f.untried === undefined);
  const wrong = tried.filter((f) => f.problems.length);
  out(wrong.length ? `${wrong.length} of ${tried.length} answered otherwise than the profile says: change the keys named above` : `all ${tried.length} answered as the profile says`);
  return wrong.length ? 1 : 0;
}
