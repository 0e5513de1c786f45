/**
 * Operations of an accounts API, as specs call them: `api.login({ username, password })`.
 * The profile turns neutral names into methods, paths and wire fields; every call returns the
 * recorded Exchange, whatever the server answered.
 */
import { NotApplicable } from '../outcome.js';
import { randomBytes } from 'node:crypto';
import { formBody, jsonBody, multipartBody, nest, rawBody, type Upload } from './bodies.js';
import type { Exchange, HttpClient, OutgoingBody, SendOptions } from './http.js';
import { cookieHeader, cookieNamed, setCookieValue } from './cookies.js';
import { registerCredentialsIn, registerSecret } from './mask.js';

import { expandEnv, pointer, type Operation, type OperationId, type PrivilegedField, type RequestField, type TargetProfile } from './profile.js';
import { currentScope } from './scope.js';

/** Response pointers whose value is a credential: access and refresh tokens, a reset token. */
const CREDENTIAL_POINTERS: ReadonlySet<keyof TargetProfile['response']> = new Set(['tokenAccess', 'tokenRefresh', 'refreshAccess', 'refreshRefresh', 'resetToken']);

/** How a request authenticates: a token, a raw Authorization header, or nothing. */
export type Credential = { readonly token: string } | { readonly header: string } | null;

export interface CallOptions<Op extends OperationId = OperationId> {
  /** Neutral field name → value; mapped to wire names by the profile (fields it does not map are not sent). */
  readonly fields?: Readonly<Partial<Record<RequestField<Op>, unknown>>>;
  /** Privileged fields a client must not be able to set (mass-assignment probes). */
  readonly privileged?: Readonly<Partial<Record<PrivilegedField, unknown>>>;
  /**
   * Fields by their wire names, sent as they are, whatever the profile maps: the names a client
   * could add on its own (another user's `user_id`), which no profile describes.
   */
  readonly extraFields?: Readonly<Record<string, unknown>>;
  /** The user whose id fills the path's `{id}` (another user's, for BOLA probes); default: the credential's own user. */
  readonly pathUser?: string;
  /** A query string added to the operation's path (`?user_id=...`). */
  readonly query?: Readonly<Record<string, string>>;
  /** Neutral names of files to upload. */
  readonly files?: Readonly<Partial<Record<RequestField<Op>, Upload>>>;
  readonly as?: 'json' | 'form' | 'multipart';
  readonly credential?: Credential;
  readonly retryOnRateLimit?: boolean;
}

/** Records a request outside the operation map (a probe of the suite's own) for the check in progress. */
async function probed(operation: string, sent: Promise<Exchange>): Promise<Exchange> {
  const ex = await sent;
  currentScope()?.probes.push({ operation, fields: [], status: ex.status });
  return ex;
}

/** Header names lowercased, `${NAME}` values read from the environment (and masked from then on). */
function expandedHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), expandEnv(value)]));
}

/** What the suite knows of the user a token belongs to. */
export interface KnownUser {
  readonly id: string;
  readonly email?: string;
  readonly phone?: string;
  readonly username?: string;
}

export class Api {
  /** The profile's constant headers, read from the environment once. */
  private readonly constantHeaders: Readonly<Record<string, string>>;
  /** Each operation's path with the `${NAME}`s it names read from the environment once (an application id in a path). */
  private readonly paths: Readonly<Partial<Record<OperationId, string>>>;
  /** Whether the profile needs to know whose token a request carries: a path naming the user, or fields drawn from the user. */
  private readonly followsUsers: boolean;
  private readonly origin: string;

  constructor(
    readonly client: HttpClient,
    readonly profile: TargetProfile,
    readonly baseUrl: string,
  ) {
    this.constantHeaders = expandedHeaders(profile.headers);
    this.paths = Object.fromEntries(Object.entries(profile.operations).flatMap(([op, o]) => (o ? [[op, expandEnv(o.path)]] : [])));
    this.followsUsers = Object.values(profile.operations).some((o) => o !== undefined && (o.path.includes('{id}') || (o.fromUser?.length ?? 0) > 0));
    this.origin = new URL(baseUrl).origin;
  }

  /** The operation as the profile maps it; specs only reach operations their requirement needs. */
  operation(op: OperationId): Operation {
    const found = this.profile.operations[op];
    if (!found) throw new NotApplicable(`the ${this.profile.name} profile has no ${op} operation`);
    return found;
  }

  /** Access token, refresh token or login name → its user, for paths that name the user (`users/{id}`) and fields drawn from the user. */
  private readonly users = new Map<string, KnownUser>();
  private lastUser: KnownUser | undefined;

  /**
   * Remembers whose tokens these are, so that a path naming the user (`PUT users/{id}`) and the
   * fields an operation draws from the signed-in user (`fromUser`) can be filled in; later logins
   * by that name and refreshes of that token are followed in `call`.
   */
  rememberUser(user: KnownUser, keys: readonly (string | undefined)[]): void {
    for (const key of keys) if (key) this.users.set(key, user);
    this.lastUser = user;
  }

  /**
   * A register, login or refresh answer: its new access token is the user's the answer names
   * (with the values the registration sent), else the user known by the login name or the
   * refresh token sent.
   */
  private followUser(op: OperationId, fields: Readonly<Record<string, unknown>>, ex: Exchange): void {
    if ((op !== 'register' && op !== 'login' && op !== 'refresh') || ex.status === null || ex.status >= 300) return;
    const r = this.profile.response;
    const access = op === 'refresh' ? pointer(ex.json, r.refreshAccess) : pointer(pointer(ex.json, r.authTokens), r.tokenAccess);
    if (typeof access !== 'string') return;
    const by = op === 'login' ? fields.username : op === 'refresh' ? fields.refresh : undefined;
    const known = typeof by === 'string' ? this.users.get(by) : undefined;
    const named = pointer(pointer(ex.json, op === 'register' ? r.authUser : op === 'login' ? r.loginUser : undefined), this.profile.user.id);
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const sent = op === 'register' ? { email: text(fields.email), phone: text(fields.phone), username: text(fields.username) } : {};
    if (known) this.users.set(access, known);
    else if (typeof named === 'string' || typeof named === 'number') this.users.set(access, { id: String(named), ...sent });
  }

  /** The user whose token a credential carries, when the suite knows it. */
  private userOf(credential: Credential | undefined): KnownUser | undefined {
    return credential && 'token' in credential ? this.users.get(credential.token) : undefined;
  }

  /**
   * The operation's URL. A `{id}` in its path is the user's: the one named by `pathUser`, else the
   * credential's own; a request without a known token (an unauthenticated or forged-token probe)
   * names the latest user the suite made, whom it must not reach either.
   */
  url(op: OperationId, credential?: Credential, pathUser?: string): string {
    const path = this.paths[op] ?? this.operation(op).path;
    if (!path.includes('{id}')) return new URL(path, this.baseUrl).toString();
    const id = pathUser ?? this.userOf(credential)?.id ?? this.lastUser?.id ?? '0';
    return new URL(path.replaceAll('{id}', encodeURIComponent(id)), this.baseUrl).toString();
  }

  /** The wire name of a neutral request field of an operation. */
  wireName<Op extends OperationId>(op: Op, field: RequestField<Op>): string {
    const wire = this.profile.request[op]?.[field];
    if (!wire) throw new Error(`profile ${this.profile.name} has no request field '${field}' for ${op}`);
    return wire;
  }

  private authHeader(credential: Credential | undefined): Record<string, string> {
    if (!credential) return {};
    const { header = 'authorization', scheme = 'Bearer' } = this.profile.auth ?? {};
    const value = 'token' in credential ? (scheme ? `${scheme} ${credential.token}` : credential.token) : credential.header;
    return { [header.toLowerCase()]: value };
  }

  /** The headers the profile names for one operation (X-Requested-With), on top of its constant ones. */
  private operationHeaders(op: OperationId): Record<string, string> {
    return expandedHeaders(this.operation(op).headers);
  }

  /** The neutral fields of a call that go on the wire: given, defined, and mapped by the profile (in the body, or in a cookie). */
  sentFields<Op extends OperationId>(op: Op, opts: CallOptions<Op>): string[] {
    const bodiless = this.operation(op).body === 'none';
    const names: Readonly<Record<string, string>> = this.profile.request[op] ?? {};
    const given = [...Object.entries(opts.fields ?? {}), ...Object.entries(opts.files ?? {})];
    return given.filter(([field, value]) => value !== undefined && names[field] && (!bodiless || cookieNamed(names[field]) !== undefined)).map(([field]) => field);
  }

  /** The Cookie header of the fields the profile sends in cookies (`cookie:refresh_token`), or none. */
  private cookies<Op extends OperationId>(op: Op, opts: CallOptions<Op>): Record<string, string> {
    const names: Readonly<Record<string, string>> = this.profile.request[op] ?? {};
    const jar: Record<string, string> = {};
    for (const [field, value] of Object.entries(opts.fields ?? {})) {
      const cookie = cookieNamed(names[field]);
      if (cookie !== undefined && value !== undefined) jar[cookie] = String(value);
    }
    return Object.keys(jar).length ? { cookie: cookieHeader(jar) } : {};
  }

  private body<Op extends OperationId>(op: Op, opts: CallOptions<Op>): OutgoingBody | undefined {
    const kind = this.operation(op).body;
    if (kind === 'none') return undefined;
    const flat: Record<string, unknown> = {};
    // Neutral fields the dialect does not name are not sent: a seed-003 registration has no phone.
    const names: Readonly<Record<string, string>> = this.profile.request[op] ?? {};
    for (const [field, value] of Object.entries(opts.fields ?? {})) if (value !== undefined && names[field] && cookieNamed(names[field]) === undefined) flat[names[field]] = value;
    // Fields the operation draws from the signed-in user (better-auth's send-OTP takes the user's email), unless the check sends them.
    const user = this.userOf(opts.credential);
    for (const field of this.operation(op).fromUser ?? []) {
      const wire = names[field];
      const value = user?.[field];
      if (wire && !(wire in flat) && value !== undefined) flat[wire] = value;
    }
    // Constants the dialect wants on every call (a device type): sent unless a field already is.
    for (const [wire, value] of Object.entries(this.profile.constants?.[op] ?? {})) if (!(wire in flat)) flat[wire] = typeof value === 'string' ? expandEnv(value) : value;
    for (const [field, value] of Object.entries(opts.privileged ?? {})) {
      const wire = this.profile.privileged[field as PrivilegedField];
      if (wire) flat[wire] = value;
    }
    for (const [wire, value] of Object.entries(opts.extraFields ?? {})) if (!(wire in flat)) flat[wire] = value;
    const files: Record<string, Upload> = {};
    for (const [field, file] of Object.entries(opts.files ?? {}) as [string, Upload | undefined][]) if (file && names[field]) files[names[field]] = file;
    const as = opts.as ?? kind;
    if (as === 'multipart') return multipartBody(flat, files);
    if (as === 'form') return formBody(flat);
    return jsonBody(nest(flat));
  }

  /** Calls an operation; the check in progress records what it sent (its probe) and the status. */
  async call<Op extends OperationId>(op: Op, opts: CallOptions<Op> = {}): Promise<Exchange> {
    const operation = this.operation(op);
    const url = new URL(this.url(op, opts.credential, opts.pathUser));
    for (const [name, value] of Object.entries(opts.query ?? {})) url.searchParams.append(name, value);
    const ex = await this.send(operation.method, url.toString(), {
      headers: { ...this.operationHeaders(op), ...this.authHeader(opts.credential), ...this.cookies(op, opts) },
      body: this.body(op, opts),
      retryOnRateLimit: opts.retryOnRateLimit,
    });
    currentScope()?.probes.push({ operation: op, fields: this.sentFields(op, opts), status: ex.status });
    if (this.followsUsers) this.followUser(op, opts.fields ?? {}, ex);
    return { ...ex, operation: op };
  }

  /** Sends a hand-made body (malformed JSON, another content type) to an operation. */
  callRaw(op: OperationId, body: OutgoingBody, credential: Credential = null): Promise<Exchange> {
    return probed(`${op} (raw body)`, this.send(this.operation(op).method, this.url(op, credential), { headers: { ...this.operationHeaders(op), ...this.authHeader(credential) }, body }));
  }

  /** Calls an operation's path with another method. */
  callWithMethod(op: OperationId, method: string): Promise<Exchange> {
    return probed(`${op} (${method})`, this.send(method, this.url(op), { headers: this.operationHeaders(op) }));
  }

  /** A path under the base URL that no accounts API serves. */
  unknownEndpoint(opts: { retryOnRateLimit?: boolean } = {}): Promise<Exchange> {
    return probed('unknown endpoint', this.send('GET', new URL(`conformance-unknown-${randomBytes(4).toString('hex')}/`, this.baseUrl).toString(), opts));
  }

  /** GET an absolute URL the server handed out (e.g. a profile image). */
  fetchUrl(url: string): Promise<Exchange> {
    return probed('served URL', this.send('GET', url));
  }

  static raw(text: string, contentType: string): OutgoingBody {
    return rawBody(text, contentType);
  }

  /**
   * Every request of this API goes through here. Credentials the answer hands out beyond those
   * the profile names (a session token or an API key in an extra field, a session cookie) are
   * registered, so that they stay masked wherever they show up later.
   */
  private async send(method: string, url: string, opts: SendOptions = {}): Promise<Exchange> {
    // The profile's constant headers go to the target only, never to a URL elsewhere it handed out.
    const own = new URL(url).origin === this.origin ? this.constantHeaders : {};
    const ex = await this.client.send(method, url, { ...opts, headers: { ...own, ...opts.headers } });
    registerCredentialsIn(ex.json, ex.headers);
    return ex;
  }

  /** Reads a value of the answer at one of the profile's response pointers (or the cookie it names); registers credentials as secrets. */
  read(ex: Exchange, at: keyof TargetProfile['response']): unknown {
    const cookie = cookieNamed(this.profile.response[at]);
    if (cookie !== undefined) return registerSecret(setCookieValue(ex.headers, cookie));
    const value = pointer(ex.json, this.profile.response[at]);
    // Only the tokens themselves: where a dialect keeps them at the answer's root, the other
    // members (email, username) are evidence, not secrets.
    if (at === 'authTokens') {
      for (const key of ['tokenAccess', 'tokenRefresh'] as const) {
        const token = pointer(value, this.profile.response[key]);
        if (typeof token === 'string') registerSecret(token);
      }
    }
    if (CREDENTIAL_POINTERS.has(at) && typeof value === 'string') registerSecret(value);
    return value;
  }
}
