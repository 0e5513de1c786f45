/**
 * A deliberately hostile target for the suite's self-tests: each mode misbehaves in one way a
 * real server (or the network in front of it) can. Loopback only, on a free port. `close()`
 * destroys every open socket and clears every timer, so a test never hangs on it.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, Socket, type AddressInfo, type Server } from 'node:net';

export const HOSTILE_MODES = [
  'html-500',
  'invalid-json',
  'never-answers',
  'destroy-mid-response',
  'huge-body',
  'trickle',
  'redirect-loop',
  'close-no-response',
] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface HostileServer {
  /** http://127.0.0.1:PORT/api/v1/ */
  readonly baseUrl: string;
  close(): Promise<void>;
}

const HUGE_BODY_BYTES = 50 * 1024 * 1024;
/** One reusable 1 MiB chunk of spaces (JSON whitespace after the opening brace): 50 writes, not 50 MiB held. */
const HUGE_CHUNK = Buffer.alloc(1024 * 1024, 0x20);
const HUGE_FIRST_CHUNK = Buffer.concat([Buffer.from('{'), HUGE_CHUNK.subarray(1)]);
const INVALID_JSON = '{"success": true, "data": {';
const HTML_500 = '<!DOCTYPE html>\n<html><head><title>Server Error (500)</title></head><body><h1>Server Error (500)</h1><p>Traceback hidden.</p></body></html>\n';
const PARTIAL_JSON = '{"success": true, "message": "Registration successful", "data": {"user": {"id": ';
const TRICKLE_TEXT = '{"success": true, "message": "slow", "data": {}}';

/** Timers and sockets the server owns, so that close() can end all of them. */
class Resources {
  readonly sockets = new Set<Socket>();
  readonly timers = new Set<NodeJS.Timeout>();
  closed = false;

  track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // A client that goes away mid-write must not crash the test process.
    socket.on('error', () => socket.destroy());
  }

  every(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setInterval(fn, ms);
    this.timers.add(timer);
    return timer;
  }

  stop(timer: NodeJS.Timeout): void {
    clearInterval(timer);
    this.timers.delete(timer);
  }

  endAll(): void {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Streams `total` bytes, honouring back-pressure, and stops as soon as the client is gone. */
function streamHuge(res: ServerResponse, total: number): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      const chunk = sent === 0 ? HUGE_FIRST_CHUNK : HUGE_CHUNK.subarray(0, Math.min(HUGE_CHUNK.length, total - sent));
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (sent >= total && !res.destroyed) res.end();
  };
  res.on('close', () => res.off('drain', pump));
  pump();
}

function httpHandler(mode: HostileMode, resources: Resources): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Read (and drop) the request body so a client that sends one is not stalled by us.
    req.resume();
    switch (mode) {
      case 'html-500':
        res.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(HTML_500) });
        res.end(HTML_500);
        return;
      case 'invalid-json':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(INVALID_JSON) });
        res.end(INVALID_JSON);
        return;
      case 'never-answers':
        // Accepted, read, and never a byte back. close() destroys the socket.
        return;
      case 'destroy-mid-response':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        res.write(PARTIAL_JSON, () => res.socket?.destroy());
        return;
      case 'huge-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE_BODY_BYTES) });
        streamHuge(res, HUGE_BODY_BYTES);
        return;
      case 'trickle': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        let i = 0;
        const timer = resources.every(1000, () => {
          if (res.destroyed) return resources.stop(timer);
          res.write(i < TRICKLE_TEXT.length ? TRICKLE_TEXT.charAt(i) : ' ');
          i += 1;
        });
        res.on('close', () => resources.stop(timer));
        return;
      }
      case 'redirect-loop':
        res.writeHead(302, { location: req.url ?? '/', 'content-length': '0' });
        res.end();
        return;
      default:
        res.destroy();
    }
  };
}

/** A raw TCP server: waits for the end of the request head, then closes without a byte of response. */
function closeWithoutResponse(resources: Resources): Server {
  return createNetServer((socket) => {
    resources.track(socket);
    let head = '';
    socket.on('data', (data: Buffer) => {
      head += data.toString('latin1');
      if (head.includes('\r\n\r\n')) socket.destroy();
    });
  });
}

export async function startHostileServer(mode: HostileMode): Promise<HostileServer> {
  const resources = new Resources();
  let server: Server;
  if (mode === 'close-no-response') {
    server = closeWithoutResponse(resources);
  } else {
    const http = createHttpServer({ keepAliveTimeout: 60_000, requestTimeout: 0, headersTimeout: 0 }, httpHandler(mode, resources));
    http.on('connection', (socket: Socket) => resources.track(socket));
    http.on('clientError', (_error, socket: Socket) => socket.destroy());
    server = http;
  }
  const port = await listen(server);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      resources.endAll();
    }));
  return { baseUrl: `http://127.0.0.1:${port}/api/v1/`, close };
}

export interface Relay {
  /** The relay's base URL: the target's base URL with the relay's origin. */
  readonly baseUrl: string;
  /** HTTP requests seen so far (request lines counted in the client's bytes). */
  readonly requests: number;
  /** Resolves once `count` requests went through, or after `timeoutMs` (false then). */
  waitForRequests(count: number, timeoutMs: number): Promise<boolean>;
  /** Stops listening and destroys every connection: from now on the target is gone (connection refused). */
  close(): Promise<void>;
}

const REQUEST_LINE = /(?:^|\r\n)(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP\/1\.[01]\r\n/g;

/**
 * A TCP relay in front of a live target, so a test can kill the target at a known point of a
 * run (after N requests) instead of at a guessed time. Closing it is the target dying.
 */
export async function startRelay(targetBaseUrl: string): Promise<Relay> {
  const target = new URL(targetBaseUrl);
  const resources = new Resources();
  let requests = 0;
  const waiters = new Set<() => void>();
  const server = createNetServer((client) => {
    resources.track(client);
    const upstream = new Socket();
    resources.track(upstream);
    upstream.connect(Number(target.port), target.hostname);
    client.on('data', (data: Buffer) => {
      requests += data.toString('latin1').match(REQUEST_LINE)?.length ?? 0;
      for (const wake of waiters) wake();
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const port = await listen(server);
  let closing: Promise<void> | undefined;
  return {
    baseUrl: `http://127.0.0.1:${port}${target.pathname}`,
    get requests() {
      return requests;
    },
    waitForRequests: (count, timeoutMs) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => finish(false), timeoutMs);
        const finish = (reached: boolean): void => {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(reached);
        };
        const check = (): void => {
          if (requests >= count) finish(true);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        resources.endAll();
      })),
  };
}
