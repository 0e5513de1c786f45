/**
 * The HTTP client under load and throttling: a 429 or 503 is waited out and, if it lasts, marks
 * the exchange throttled (a check on it is inconclusive, not failed); the bound on requests in
 * flight halves on timeouts and does not hold back a race; the circuit breaker counts failures in
 * order, tells a slow target from a dead one, and half-opens after its pause.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { expectStatus } from '../helpers/checks.js';
import { CheckFailure, Inconclusive } from '../helpers/outcome.js';
import { BREAKER_MARK, HttpClient, sendTogether } from '../helpers/wire/http.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

const open: { close(): unknown }[] = [];

afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

async function serve(handler: Handler, port = 0): Promise<{ url: string; port: number; server: Server }> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  open.push({ close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))) });
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}/`, port: bound, server };
}

function client(options: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): HttpClient {
  const c = new HttpClient({ timeoutMs: 1000, maxBodyBytes: 65536, backoffMs: [20, 40, 80, 160], breakerPauseMs: 200, ...options });
  open.push(c);
  return c;
}

const json = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{}');

describe('throttled answers', () => {
  test('a 429 without Retry-After is sent again after the backoff steps, and the answer after it is returned', async () => {
    const { url } = await serve((_req, res, n) => json(res, n <= 2 ? 429 : 200));
    const started = performance.now();
    const ex = await client().send('GET', url);
    expect([ex.status, ex.throttled]).toEqual([200, undefined]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
  });

  test('a Retry-After is honoured', async () => {
    const { url } = await serve((_req, res, n) => json(res, n === 1 ? 503 : 200, n === 1 ? { 'retry-after': '1' } : {}));
    const started = performance.now();
    expect((await client().send('GET', url)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  test('still refused after every retry: the exchange is throttled, and a check on it is inconclusive, never failed', async () => {
    const { url } = await serve((_req, res) => json(res, 429));
    const ex = await client().send('POST', url);
    expect(ex.throttled).toEqual({ status: 429, retries: 4 });
    expect(() => expectStatus(ex, 200)).toThrow(Inconclusive);
    expect(() => expectStatus(ex, 200)).toThrow(/^the target throttled this check: 429 \(after 4 retries\) to POST \/$/);
  });

  test('a wait past the cap is not waited out: the exchange is throttled at once', async () => {
    const { url } = await serve((_req, res) => json(res, 429, { 'retry-after': '3600' }));
    const ex = await client().send('GET', url);
    expect(ex.throttled).toEqual({ status: 429, retries: 0, retryAfterS: 3600 });
  });

  test('where the 429 is the subject it is neither retried nor excused', async () => {
    const { url } = await serve((_req, res) => json(res, 429));
    const ex = await client().send('GET', url, { retryOnRateLimit: false });
    expect([ex.status, ex.throttled]).toEqual([429, undefined]);
    expect(() => expectStatus(ex, 200)).toThrow(CheckFailure);
  });
});

describe('the bound on requests in flight', () => {
  test('requests are held to the bound, but those sent together (a race) are not', async () => {
    let inFlight = 0;
    let most = 0;
    const { url } = await serve((_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => (inFlight--, json(res, 200)), 50);
    });
    const c = client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => c.send('GET', url)));
    expect(most).toBe(2);
    most = 0;
    await sendTogether(() => Promise.all(Array.from({ length: 6 }, () => c.send('GET', url))));
    expect(most).toBe(6);
  });

  test('an answer that took past half the timeout halves the bound; quick answers raise it again slowly', async () => {
    let delay = 80;
    const { url } = await serve((_req, res) => setTimeout(() => json(res, 200), delay));
    const c = client({ concurrency: 4, timeoutMs: 120 });
    expect((await c.send('GET', url)).status).toBe(200);
    expect(c.limit.current).toBe(2);
    delay = 0;
    // +1/limit per answer: 2 → 2.5 → 2.9 → 3.24.
    for (let i = 0; i < 3; i++) await c.send('GET', url);
    expect(c.limit.current).toBe(3);
  });

  test('a slow target: concurrent timeouts halve the bound once, and do not open the breaker', async () => {
    const { url } = await serve(() => {});
    const c = client({ concurrency: 16, timeoutMs: 100 });
    const answers = await Promise.all(Array.from({ length: 12 }, () => c.send('GET', url)));
    expect(answers.every((ex) => /timeout/.test(ex.failure ?? ''))).toBe(true);
    expect(c.limit.current).toBe(8);
    const next = await c.send('GET', url);
    expect(next.failure).toMatch(/timeout/);
  });
});

describe('the circuit breaker', () => {
  test('a dead target opens it after six refusals in a row; after its pause one probe goes through, and an answer closes it', async () => {
    const { port, server } = await serve((_req, res) => json(res, 200));
    await new Promise((r) => (server.closeAllConnections(), server.close(r)));
    const url = `http://127.0.0.1:${port}/`;
    const c = client();
    for (let i = 0; i < 6; i++) expect((await c.send('GET', url)).failure).toBe('connection refused');
    expect((await c.send('GET', url)).failure).toMatch(new RegExp(`^${BREAKER_MARK}: the target failed 6 requests in a row \\(last: connection refused\\)`));
    await serve((_req, res) => json(res, 200), port);
    expect((await c.send('GET', url)).failure).toMatch(BREAKER_MARK);
    await new Promise((r) => setTimeout(r, 250));
    expect((await c.send('GET', url)).status).toBe(200);
    expect((await c.send('GET', url)).status).toBe(200);
  });

  test('timeouts in order open it too, the bound halved on the way down', async () => {
    const { url } = await serve(() => {});
    const c = client({ concurrency: 4, timeoutMs: 50 });
    for (let i = 0; i < 6; i++) expect((await c.send('GET', url)).failure).toMatch(/timeout/);
    expect(c.limit.current).toBe(1);
    expect((await c.send('GET', url)).failure).toMatch(BREAKER_MARK);
  });

  test('refusals in flight together count once', async () => {
    const { port, server } = await serve((_req, res) => json(res, 200));
    await new Promise((r) => (server.closeAllConnections(), server.close(r)));
    const url = `http://127.0.0.1:${port}/`;
    const c = client();
    const answers = await Promise.all(Array.from({ length: 12 }, () => c.send('GET', url)));
    expect(answers.every((ex) => ex.failure === 'connection refused')).toBe(true);
    expect((await c.send('GET', url)).failure).toBe('connection refused');
  });
});
