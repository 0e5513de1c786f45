/** Per-server state and the per-request context every handler receives. */
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Clock } from './clock.js';
import type { FaultName, QuirkName } from './faults.js';
import { texts, type Texts } from './messages.js';
import type { RateLimiter } from './ratelimit.js';
import type { Secrets } from './secrets.js';
import type { Store, User } from './store.js';
import { ErrorBag, FieldReader } from './validation.js';

export interface SigningKeys {
  /** The key the API signs and verifies with (random per process). */
  readonly good: Buffer;
  /** A key the API never accepts: the `*-unusable` faults sign with it. */
  readonly bad: Buffer;
  /** Quirk rs256-tokens: the RSA key pair the API signs with instead (RS256), published as a JWK Set. */
  readonly rsa?: { readonly privateKey: KeyObject; readonly publicKey: KeyObject; readonly kid: string };
}

export interface ServerState {
  readonly store: Store;
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  readonly secrets: Secrets;
  readonly keys: SigningKeys;
  readonly faults: ReadonlySet<FaultName>;
  readonly quirks: ReadonlySet<QuirkName>;
  readonly basePath: string;
  readonly hooks: boolean;
  readonly latencyMs: number;
  /** host:port used for absolute URLs when a request carries no usable Host header. */
  fallbackHost: string;
}

export interface FilePart {
  readonly filename: string | undefined;
  readonly contentType: string;
  readonly data: Buffer;
}

// A Host header is echoed into URLs, so only a plain host[:port] is trusted (Django's
// ALLOWED_HOSTS check plays the same role for build_absolute_uri).
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export class Ctx {
  user: User | undefined;
  body: Record<string, unknown> = {};
  files: ReadonlyMap<string, FilePart> = new Map();
  readonly t: Texts;
  /** The request path, as sent (not percent-decoded), and the query string. */
  readonly path: string;
  readonly query: URLSearchParams;

  constructor(
    readonly state: ServerState,
    readonly req: IncomingMessage,
  ) {
    this.t = texts(state.quirks.has('other-messages'));
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    this.path = mark < 0 ? target : target.slice(0, mark);
    this.query = new URLSearchParams(mark < 0 ? '' : target.slice(mark + 1));
  }

  get store(): Store {
    return this.state.store;
  }

  fault(name: FaultName): boolean {
    return this.state.faults.has(name);
  }

  quirk(name: QuirkName): boolean {
    return this.state.quirks.has(name);
  }

  now(): number {
    return this.state.clock.now();
  }

  iso(ms: number): string {
    return this.state.clock.iso(ms);
  }

  /** Like Django's build_absolute_uri: scheme and host of the request, then the path. */
  absoluteUrl(path: string): string {
    const host = this.req.headers.host;
    return `http://${host !== undefined && SAFE_HOST.test(host) ? host : this.state.fallbackHost}${path}`;
  }

  /** A reader over the parsed body that collects validation errors. */
  reader(): FieldReader {
    return new FieldReader(this.body, new ErrorBag(), this.t);
  }
}
