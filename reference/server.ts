/**
 * The reference server: a conforming, in-memory TaskLink Accounts API (seed 000). It is the
 * embedded default target of the suite and, with fault switches, the target of its self-tests.
 * With `dialect` it speaks another accounts API on the same machinery (reference/dialects/).
 */
import { type KeyObject, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Clock } from './clock.js';
import type { ServerState } from './context.js';
import type { Dialect } from './dialects/dialect.js';
import { FLUTTER_AUTH } from './dialects/flutter-auth.js';
import { MESSAGE_DATA } from './dialects/message-data.js';
import { UNIVERSITY } from './dialects/university.js';
import { isFaultName, isQuirkName, TASKLINK_FAULTS, type FaultName, type QuirkName } from './faults.js';
import { HOOK_PREFIX } from './handlers/hooks.js';
import { RateLimiter, type Rate } from './ratelimit.js';
import { handleRequest } from './router.js';
import { Secrets, type SecretsSeen } from './secrets.js';
import { Store } from './store.js';

export interface ReferenceOptions {
  /** The API the server speaks; default 'tasklink' (seed 000). */
  dialect?: DialectName;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default: the dialect's, '/api/v1/' for tasklink. */
  basePath?: string;
  faults?: readonly FaultName[];
  quirks?: readonly QuirkName[];
  /** Serve the /__conformance__/ test hooks; default false. */
  hooks?: boolean;
  /** Delay added to every response, in ms; default 0. */
  latencyMs?: number;
}

export interface ReferenceServer {
  /** http://HOST:PORT */
  readonly origin: string;
  /** origin + basePath */
  readonly baseUrl: string;
  /** Every password, token and code the server saw or issued so far (for leak tests). */
  secrets(): SecretsSeen;
  close(): Promise<void>;
}

/** The TaskLink dialect (seed 000): reference/router.ts and its envelope. */
const TASKLINK: Dialect = {
  basePath: '/api/v1/',
  numericIds: false,
  handleRequest,
  clientErrorBody: (_status, reason) => ({ success: false, message: reason, errors: { detail: ['The request could not be parsed.'] } }),
  faults: TASKLINK_FAULTS,
};

export const DIALECTS = { tasklink: TASKLINK, 'message-data': MESSAGE_DATA, university: UNIVERSITY, 'flutter-auth': FLUTTER_AUTH } as const satisfies Record<string, Dialect>;
export type DialectName = keyof typeof DIALECTS;

export function isDialectName(name: string): name is DialectName {
  return Object.hasOwn(DIALECTS, name);
}

/** Known names, and (for a dialect that lists what it implements) implemented ones. */
function checkedNames<T extends string>(names: readonly string[], known: (name: string) => name is T, kind: string, dialect?: { name: string; has?: readonly T[] }): Set<T> {
  for (const name of names) {
    if (!known(name)) throw new Error(`unknown ${kind} '${name}'`);
    if (dialect?.has && !dialect.has.includes(name)) throw new Error(`the ${dialect.name} dialect has no ${kind} '${name}'`);
  }
  return new Set(names as readonly T[]);
}

export function normalizeBasePath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** host:port as a client reaches it: a wildcard address is reached on loopback. */
function reachableHost(host: string, port: number): string {
  const name = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return name.includes(':') ? `[${name}]:${port}` : `${name}:${port}`;
}

const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/** Even a request Node cannot parse gets the dialect's error envelope, not a bare status line. */
function answerClientError(dialect: Dialect, error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? '400 Bad Request';
  const body = JSON.stringify(dialect.clientErrorBody(Number(status.slice(0, 3)), status.slice(4)));
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Quirk global-rate-limit: a gateway in front of the API (nginx limit_req, a cloud WAF). */
const GLOBAL_RATE: Rate = { limit: 20, windowMs: 1000 };

type Handler = (state: ServerState, req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * A modifier around the dialect's handler: past the global rate every API request is refused
 * 429 with Retry-After: 1 in the dialect's error envelope, before it reaches the API. It counts
 * on the wall clock, not the server clock the clock hook moves; the test hooks are not counted.
 */
function globalRateLimit(dialect: Dialect, handle: Handler): Handler {
  const limiter = new RateLimiter();
  return async (state, req, res) => {
    const hook = state.hooks && (req.url ?? '').startsWith(HOOK_PREFIX);
    const now = Date.now();
    if (hook || limiter.retryAfter('all', GLOBAL_RATE, now) === 0) {
      if (!hook) limiter.record('all', GLOBAL_RATE, now);
      return handle(state, req, res);
    }
    const body = JSON.stringify(dialect.clientErrorBody(429, 'Too Many Requests'));
    // The request body is not read: drain it so the keep-alive connection stays usable.
    req.resume();
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1', 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  };
}

const WEAK_SIGNING_KEY = 'your-256-bit-secret';

/** Quirk rs256-tokens: a fresh RSA key pair per server, named by a kid in the JWK Set. */
function rsaKeys(): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey, kid: randomBytes(8).toString('hex') };
}

export async function startReferenceServer(options: ReferenceOptions = {}): Promise<ReferenceServer> {
  const host = options.host ?? '127.0.0.1';
  const name = options.dialect ?? 'tasklink';
  if (!isDialectName(name)) throw new Error(`unknown dialect '${String(name)}'`);
  const dialect: Dialect = DIALECTS[name];
  const quirks = checkedNames(options.quirks ?? [], isQuirkName, 'quirk', { name, has: dialect.quirks });
  const faults = checkedNames(options.faults ?? [], isFaultName, 'fault', { name, has: dialect.faults });
  const state: ServerState = {
    store: new Store(dialect.numericIds || quirks.has('numeric-ids')),
    clock: new Clock(),
    limiter: new RateLimiter(),
    secrets: new Secrets(),
    // Random per server: tokens never outlive the process, and one server's tokens mean nothing to another.
    // Fault `weak-signing-key`: jwt.io's example secret, the first entry of many public wordlists.
    keys: { good: faults.has('weak-signing-key') ? Buffer.from(WEAK_SIGNING_KEY) : randomBytes(32), bad: randomBytes(32), rsa: quirks.has('rs256-tokens') ? rsaKeys() : undefined },
    faults,
    quirks,
    basePath: normalizeBasePath(options.basePath ?? dialect.basePath),
    hooks: options.hooks ?? false,
    latencyMs: Math.max(0, options.latencyMs ?? 0),
    fallbackHost: '',
  };
  const handle = quirks.has('global-rate-limit') ? globalRateLimit(dialect, dialect.handleRequest) : dialect.handleRequest;
  const server = createServer((req, res) => {
    handle(state, req, res).catch(() => res.destroy());
  });
  // Idle connections stay open for a minute (Node's default is 5 s). On a loaded machine a
  // client's event loop may stall past a short server timeout and send on a connection the
  // server is just closing: "closed before a complete response", a verdict about the machine.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => answerClientError(dialect, error, socket));
  const address = await listen(server, host, options.port ?? 0);
  state.fallbackHost = reachableHost(host, address.port);
  const origin = `http://${state.fallbackHost}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }));
  return { origin, baseUrl: `${origin}${state.basePath}`, secrets: () => state.secrets.seen(), close };
}
