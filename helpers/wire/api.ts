/**
 * Operations of an accounts API, as specs call them: `api.login({ username, password })`.
 * The profile turns neutral names into methods, paths and wire fields; every call returns the
 * recorded Exchange, whatever the server answered.
 */
import { NotApplicable } from '../outcome.js';
import { randomBytes } from 'node:crypto';
import { jsonBody, multipartBody, nest, rawBody, type Upload } from './bodies.js';
import type { Exchange, HttpClient, OutgoingBody } from './http.js';
import { registerSecret } from './mask.js';

import { pointer, type Operation, type OperationId, type PrivilegedField, type TargetProfile } from './profile.js';

/** How a request authenticates: a token, a raw Authorization header, or nothing. */
export type Credential = { readonly token: string } | { readonly header: string } | null;

export interface CallOptions {
  /** Neutral field name → value; mapped to wire names by the profile. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** Privileged fields a client must not be able to set (mass-assignment probes). */
  readonly privileged?: Readonly<Partial<Record<PrivilegedField, unknown>>>;
  /** Neutral names of files to upload. */
  readonly files?: Readonly<Record<string, Upload>>;
  readonly as?: 'json' | 'multipart';
  readonly credential?: Credential;
  readonly retryOnRateLimit?: boolean;
}

export class Api {
  constructor(
    readonly client: HttpClient,
    readonly profile: TargetProfile,
    readonly baseUrl: string,
  ) {}

  get origin(): string {
    return new URL(this.baseUrl).origin;
  }

  /** The operation as the profile maps it; specs only reach operations their requirement needs. */
  operation(op: OperationId): Operation {
    const found = this.profile.operations[op];
    if (!found) throw new NotApplicable(`the ${this.profile.name} profile has no ${op} operation`);
    return found;
  }

  url(op: OperationId): string {
    return new URL(this.operation(op).path, this.baseUrl).toString();
  }

  /** The wire name of a neutral request field of an operation. */
  wireName(op: OperationId, field: string): string {
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

  private body(op: OperationId, opts: CallOptions): OutgoingBody | undefined {
    const kind = this.operation(op).body;
    if (kind === 'none') return undefined;
    const flat: Record<string, unknown> = {};
    // Neutral fields the dialect does not name are not sent: a seed-003 registration has no phone.
    const names = this.profile.request[op] ?? {};
    for (const [field, value] of Object.entries(opts.fields ?? {})) if (value !== undefined && names[field]) flat[names[field]] = value;
    // Constants the dialect wants on every call (a device type): sent unless a field already is.
    for (const [wire, value] of Object.entries(this.profile.constants?.[op] ?? {})) if (!(wire in flat)) flat[wire] = value;
    for (const [field, value] of Object.entries(opts.privileged ?? {})) {
      const wire = this.profile.privileged[field as PrivilegedField];
      if (wire) flat[wire] = value;
    }
    const files: Record<string, Upload> = {};
    for (const [field, file] of Object.entries(opts.files ?? {})) files[this.wireName(op, field)] = file;
    const as = opts.as ?? kind;
    if (as === 'multipart') return multipartBody(flat, files);
    return jsonBody(nest(flat));
  }

  async call(op: OperationId, opts: CallOptions = {}): Promise<Exchange> {
    const operation = this.operation(op);
    const ex = await this.client.send(operation.method, this.url(op), {
      headers: this.authHeader(opts.credential),
      body: this.body(op, opts),
      retryOnRateLimit: opts.retryOnRateLimit,
    });
    return { ...ex, operation: op };
  }

  /** Sends a hand-made body (malformed JSON, another content type) to an operation. */
  callRaw(op: OperationId, body: OutgoingBody, credential: Credential = null): Promise<Exchange> {
    return this.client.send(this.operation(op).method, this.url(op), { headers: this.authHeader(credential), body });
  }

  /** Calls an operation's path with another method. */
  callWithMethod(op: OperationId, method: string): Promise<Exchange> {
    return this.client.send(method, this.url(op));
  }

  /** A path under the base URL that no accounts API serves. */
  unknownEndpoint(opts: { retryOnRateLimit?: boolean } = {}): Promise<Exchange> {
    return this.client.send('GET', new URL(`conformance-unknown-${randomBytes(4).toString('hex')}/`, this.baseUrl).toString(), opts);
  }

  /** GET an absolute URL the server handed out (e.g. a profile image). */
  fetchUrl(url: string): Promise<Exchange> {
    return this.client.send('GET', url);
  }

  static raw(text: string, contentType: string): OutgoingBody {
    return rawBody(text, contentType);
  }

  /** Reads a value of the answer at one of the profile's response pointers; registers tokens as secrets. */
  read(ex: Exchange, at: keyof TargetProfile['response']): unknown {
    const value = pointer(ex.json, this.profile.response[at]);
    // Only the tokens themselves: where a dialect keeps them at the answer's root, the other
    // members (email, username) are evidence, not secrets.
    if (at === 'authTokens') {
      for (const key of ['tokenAccess', 'tokenRefresh'] as const) {
        const token = pointer(value, this.profile.response[key]);
        if (typeof token === 'string') registerSecret(token);
      }
    }
    if ((at === 'refreshAccess' || at === 'refreshRefresh' || at === 'tokenAccess' || at === 'tokenRefresh') && typeof value === 'string') registerSecret(value);
    return value;
  }
}
