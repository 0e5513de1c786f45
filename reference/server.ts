/**
 * The reference server: a conforming, in-memory TaskLink Accounts API (seed 000). It is the
 * embedded default target of the suite and, with fault switches, the target of its self-tests.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Clock } from './clock.js';
import type { ServerState } from './context.js';
import { isFaultName, isQuirkName, type FaultName, type QuirkName } from './faults.js';
import { RateLimiter } from './ratelimit.js';
import { handleRequest } from './router.js';
import { Secrets, type SecretsSeen } from './secrets.js';
import { Store } from './store.js';

export interface ReferenceOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default '/api/v1/'. */
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

function checkedNames<T extends string>(names: readonly string[], known: (name: string) => name is T, kind: string): Set<T> {
  for (const name of names) if (!known(name)) throw new Error(`unknown ${kind} '${name}'`);
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

/** Even a request Node cannot parse gets the error envelope, not a bare status line. */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? '400 Bad Request';
  const body = JSON.stringify({ success: false, message: status.slice(4), errors: { detail: ['The request could not be parsed.'] } });
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

export async function startReferenceServer(options: ReferenceOptions = {}): Promise<ReferenceServer> {
  const host = options.host ?? '127.0.0.1';
  const quirks = checkedNames(options.quirks ?? [], isQuirkName, 'quirk');
  const state: ServerState = {
    store: new Store(quirks.has('numeric-ids')),
    clock: new Clock(),
    limiter: new RateLimiter(),
    secrets: new Secrets(),
    // Random per server: tokens never outlive the process, and one server's tokens mean nothing to another.
    keys: { good: randomBytes(32), bad: randomBytes(32) },
    faults: checkedNames(options.faults ?? [], isFaultName, 'fault'),
    quirks,
    basePath: normalizeBasePath(options.basePath ?? '/api/v1/'),
    hooks: options.hooks ?? false,
    latencyMs: Math.max(0, options.latencyMs ?? 0),
    fallbackHost: '',
  };
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch(() => res.destroy());
  });
  server.on('clientError', answerClientError);
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
