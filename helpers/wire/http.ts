/**
 * The suite's HTTP client. It never throws on a status or a network failure: every call returns
 * a recorded Exchange (request, response, timing) that checks assert on and failure messages
 * render, masked, with a curl line to reproduce it.
 */
import { Agent, request as undiciRequest } from 'undici';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { AsyncLocalStorage } from 'node:async_hooks';
import { isSecretName, mask } from './mask.js';

export interface OutgoingBody {
  /** What goes on the wire. */
  readonly bytes: Buffer;
  readonly contentType: string;
  /** How to show it in a report and in a curl line. */
  readonly display: string;
  readonly curlArgs: readonly string[];
}

export interface ExchangeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: OutgoingBody;
}

export interface Exchange {
  readonly request: ExchangeRequest;
  /** The operation of the profile this exchange performed, when it was one. */
  readonly operation?: string;
  /** null when no response arrived (see `failure`). */
  readonly status: number | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  /** The decoded body as text, cut at the display limit. */
  readonly text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  readonly json: unknown;
  /** Why the body is not JSON, when it is not. */
  readonly jsonError?: string;
  /** A transport-level failure: timeout, reset, refused, body too large, bad encoding. */
  readonly failure?: string;
  /** For a failure with no answer: a timeout (slow target) or a refused or dropped connection (dead target). */
  readonly failureKind?: FailureKind;
  /**
   * Set when the target refused this request with 429 or 503 after every retry (or asked for a
   * wait past the cap): its answer says nothing about the rule under test.
   */
  readonly throttled?: Throttled;
  readonly bytes: Buffer;
  readonly durationMs: number;
}

export interface Throttled {
  readonly status: number;
  /** How many times the request was sent again before the suite gave up. */
  readonly retries: number;
  /** The wait the target asked for, in seconds, when it named one past the cap. */
  readonly retryAfterS?: number;
}

export interface ClientOptions {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** Most requests in flight at once (this client's share of --concurrency); default 8. */
  readonly concurrency?: number;
  /** Backoff waits, in ms, when a throttled answer names none; default 500, 1000, 2000, 4000. */
  readonly backoffMs?: readonly number[];
  /** How long the breaker stays open before it lets one probe through; default 2000. */
  readonly breakerPauseMs?: number;
}

export interface SendOptions {
  readonly headers?: Record<string, string>;
  readonly body?: OutgoingBody;
  /**
   * Retry a 429 or 503 (default true): rate limiting is allowed by the contract, so a throttled
   * answer is waited out. False where the refusal is the subject (throttling, brute force) or
   * where a retry would spoil the timing (races).
   */
  readonly retryOnRateLimit?: boolean;
}

const DISPLAY_LIMIT = 4000;
/** The statuses of a target that asks the client to slow down (RFC 6585 §4, RFC 9110 §15.6.4). */
export const THROTTLE_STATUSES: readonly number[] = [429, 503];
/** A Retry-After longer than this is not waited out: the request ends throttled. */
const MAX_RETRY_AFTER_S = 10;
const BACKOFF_MS = [500, 1000, 2000, 4000];
/** The most one request waits in all for a throttling target, so a check stays within its time. */
const RETRY_BUDGET_MS = 15_000;

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Seconds a Retry-After value asks for (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** What kind of transport failure: a timeout (the target is there but slow) or a dead target. */
export type FailureKind = 'timeout' | 'dead' | 'other';

function describeNetworkError(error: unknown, timeoutMs: number): { failure: string; kind: FailureKind } {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { failure: `no complete response within ${timeoutMs} ms (timeout)`, kind: 'timeout' };
  }
  if (code === 'ECONNREFUSED') return { failure: 'connection refused', kind: 'dead' };
  if (code === 'ECONNRESET') return { failure: 'connection reset by the server before a complete response', kind: 'dead' };
  if (code === 'UND_ERR_SOCKET') return { failure: 'the server closed the connection before a complete response', kind: 'dead' };
  if (code === 'ENOTFOUND') return { failure: 'host not found', kind: 'dead' };
  return { failure: `${code ?? e.name ?? 'error'}: ${e.message ?? String(error)}`, kind: 'other' };
}

/**
 * After this many failures in a row with no HTTP answer at all, the target is taken for dead: the
 * remaining requests fail at once instead of each waiting out its timeout. Failures count in
 * order (one counts only if its request started after the last success or counted failure), so
 * a burst of concurrent timeouts is one failure, not a dozen. A timeout also halves the number
 * of requests in flight, so a slow target gets the chance to answer (and close the count) long
 * before six timeouts in order have passed; refused or reset connections come at once, so a dead
 * target opens the breaker within moments.
 */
const BREAKER_THRESHOLD = 6;
export const BREAKER_MARK = 'circuit breaker open';

/**
 * Requests in flight, bounded by a limit that adapts (AIMD): halved when the target throttles or
 * times out, raised by one per limit's worth of answered requests. A throttled answer with
 * Retry-After also holds every new request until that time. `bypass` requests (the simultaneous
 * ones of a race) are not queued behind the limit, only behind a pause.
 */
export class AdaptiveLimit {
  private limit: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private pausedUntil = 0;
  private lastDecrease = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly max: number) {
    this.limit = max;
  }

  get current(): number {
    return Math.floor(this.limit);
  }

  async acquire(bypass = false): Promise<number> {
    for (;;) {
      const pause = this.pausedUntil - Date.now();
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
      else if (bypass || this.inFlight < this.current) break;
      else await new Promise<void>((r) => this.waiting.push(r));
    }
    this.inFlight++;
    return performance.now();
  }

  release(): void {
    this.inFlight--;
    this.wake();
  }

  private wake(): void {
    if (Date.now() < this.pausedUntil) return;
    // A woken request re-checks the limit when it runs; one too many just queues again.
    for (let free = this.current - this.inFlight; free > 0 && this.waiting.length; free--) this.waiting.shift()?.();
  }

  /** An answered request: the additive increase. */
  succeeded(): void {
    if (this.limit < this.max) this.limit = Math.min(this.max, this.limit + 1 / this.limit);
    this.wake();
  }

  /** Throttled or timed out: halve the limit, once per round of requests (those started after the last decrease). */
  decrease(startedAt: number): void {
    if (startedAt < this.lastDecrease) return;
    this.limit = Math.max(1, this.limit / 2);
    this.lastDecrease = performance.now();
  }

  /** Holds every new request for `ms` (a Retry-After). */
  pause(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      for (const w of this.waiting.splice(0)) w();
    }, ms);
    this.timer.unref();
  }
}

/** Runs `body` with every request it sends exempt from the concurrency limit (a race's simultaneous requests). */
const together = new AsyncLocalStorage<boolean>();

export function sendTogether<T>(body: () => Promise<T>): Promise<T> {
  return together.run(true, body);
}

function decode(bytes: Buffer, encoding: string, limit: number): Buffer {
  const opts = { maxOutputLength: limit };
  switch (encoding.trim().toLowerCase()) {
    case '':
    case 'identity':
      return bytes;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(bytes, opts);
    case 'deflate':
      return inflateSync(bytes, opts);
    case 'br':
      return brotliDecompressSync(bytes, opts);
    default:
      throw new Error(`unsupported content-encoding ${encoding}`);
  }
}

function parseJson(text: string, contentType: string): { json: unknown; jsonError?: string } {
  if (text.length === 0) return { json: undefined, jsonError: 'empty body' };
  try {
    return { json: JSON.parse(text) };
  } catch (e) {
    const kind = contentType ? `body labelled ${contentType} is not valid JSON` : 'body is not valid JSON';
    return { json: undefined, jsonError: `${kind} (${(e as Error).message})` };
  }
}

type ExchangeListener = (ex: Exchange) => void;
const listeners = new Set<ExchangeListener>();

/** Sees every exchange the clients of this thread send (the HAR recorder). Returns the unsubscribe. */
export function onExchange(listener: ExchangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export class HttpClient {
  private readonly agent: Agent;
  readonly limit: AdaptiveLimit;
  private readonly backoffMs: readonly number[];
  private readonly breakerPauseMs: number;
  /** The circuit breaker: failures in a row, and when the last success or counted failure happened. */
  private failuresInARow = 0;
  private lastMark = 0;
  private lastFailure = '';
  private openedAt = 0;
  private probing = false;

  constructor(private readonly options: ClientOptions) {
    // Idle connections are dropped after 4 s, before the 5 s of Node's default server timeout (and
    // a Keep-Alive hint is honoured): a connection the server is closing is not written to.
    this.agent = new Agent({ keepAliveTimeout: 4_000, connections: 64, connect: { timeout: options.timeoutMs } });
    this.limit = new AdaptiveLimit(Math.max(1, options.concurrency ?? 8));
    this.backoffMs = options.backoffMs ?? BACKOFF_MS;
    this.breakerPauseMs = options.breakerPauseMs ?? 2000;
  }

  /**
   * Sends a request. A 429 or 503 is sent again (unless `retryOnRateLimit` is false) after the
   * Retry-After it names, up to a cap, or after a backoff of 0.5, 1, 2, 4 s when it names none;
   * past the last retry the exchange is marked `throttled`.
   */
  async send(method: string, url: string, opts: SendOptions = {}): Promise<Exchange> {
    let waited = 0;
    for (let retries = 0; ; retries++) {
      const ex = await this.once(method, url, opts);
      if (ex.status === null || !THROTTLE_STATUSES.includes(ex.status)) return ex;
      if (opts.retryOnRateLimit === false) return ex;
      const asked = parseRetryAfter(ex.headers['retry-after']);
      if (asked !== undefined && asked > MAX_RETRY_AFTER_S) return { ...ex, throttled: { status: ex.status, retries, retryAfterS: asked } };
      // A named wait is honoured as long as the budget lasts; without one, the backoff steps run out.
      const waitMs = asked !== undefined ? asked * 1000 : this.backoffMs[retries];
      if (waitMs === undefined || waited + waitMs > RETRY_BUDGET_MS) return { ...ex, throttled: { status: ex.status, retries } };
      waited += waitMs;
      // A little jitter, so that requests throttled together do not all come back together.
      await new Promise((r) => setTimeout(r, waitMs + Math.random() * Math.min(250, waitMs / 2)));
    }
  }

  private async once(method: string, url: string, opts: SendOptions): Promise<Exchange> {
    // An open breaker refuses at once, without queueing behind the requests in flight.
    if (this.breaker() === 'open') return this.notSent(method, url, opts);
    const startedAt = await this.limit.acquire(together.getStore() === true);
    let ex: Exchange;
    let state: 'closed' | 'open' | 'probe' = 'open';
    try {
      state = this.breaker();
      if (state === 'probe') this.probing = true;
      ex = state === 'open' ? this.notSent(method, url, opts) : await this.attempt(method, url, opts);
    } finally {
      this.limit.release();
    }
    if (state === 'probe') this.probing = false;
    if (state === 'open') return ex;
    for (const listener of listeners) listener(ex);
    if (ex.status !== null) this.answered(ex, startedAt, opts.retryOnRateLimit !== false);
    else this.failed(ex, startedAt);
    return ex;
  }

  /**
   * The circuit breaker: closed; open (requests fail at once); or, a pause after it opened,
   * half-open: one probe request goes through, its answer closes the breaker, its failure
   * opens it again for another pause.
   */
  private breaker(): 'closed' | 'open' | 'probe' {
    if (this.failuresInARow < BREAKER_THRESHOLD) return 'closed';
    return this.probing || performance.now() - this.openedAt < this.breakerPauseMs ? 'open' : 'probe';
  }

  private notSent(method: string, url: string, opts: SendOptions): Exchange {
    const failure = `${BREAKER_MARK}: the target failed ${this.failuresInARow} requests in a row (last: ${this.lastFailure}), so this one was not sent`;
    const request: ExchangeRequest = { method, url, headers: { ...opts.headers }, body: opts.body };
    return { request, headers: {}, contentType: '', text: '', json: undefined, bytes: Buffer.alloc(0), status: null, durationMs: 0, failure };
  }

  /** `waits`: the request honours throttling; one whose 429 is the subject must not hold the others. */
  private answered(ex: Exchange, startedAt: number, waits: boolean): void {
    this.failuresInARow = 0;
    this.lastMark = performance.now();
    if (ex.status !== null && THROTTLE_STATUSES.includes(ex.status)) {
      if (!waits) return;
      this.limit.decrease(startedAt);
      const asked = parseRetryAfter(ex.headers['retry-after']);
      if (asked !== undefined && asked <= MAX_RETRY_AFTER_S) this.limit.pause(asked * 1000);
    } else if (ex.durationMs > this.options.timeoutMs / 2) {
      // An answer that took half the timeout: the next ones would time out. Fewer at a time.
      this.limit.decrease(startedAt);
    } else {
      this.limit.succeeded();
    }
  }

  private failed(ex: Exchange, startedAt: number): void {
    // A slow target is given fewer requests at a time; a dead one is not worth the wait.
    if (ex.failureKind === 'timeout') this.limit.decrease(startedAt);
    if (startedAt < this.lastMark) return;
    this.failuresInARow++;
    this.lastMark = performance.now();
    this.lastFailure = ex.failure ?? 'no response';
    if (this.failuresInARow >= BREAKER_THRESHOLD) this.openedAt = performance.now();
  }

  private async attempt(method: string, url: string, opts: SendOptions): Promise<Exchange> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br', ...opts.headers };
    if (opts.body) headers['content-type'] = opts.body.contentType;
    const request: ExchangeRequest = { method, url, headers, body: opts.body };
    const started = performance.now();
    const base = { request, headers: {}, contentType: '', text: '', json: undefined, bytes: Buffer.alloc(0) };
    try {
      const res = await undiciRequest(url, {
        method: method as 'GET',
        headers,
        body: opts.body?.bytes,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const resHeaders = flattenHeaders(res.headers);
      const contentType = resHeaders['content-type'] ?? '';
      const { bytes, failure } = await this.readCapped(res.body);
      const durationMs = Math.round(performance.now() - started);
      const withStatus = { ...base, status: res.statusCode, headers: resHeaders, contentType, durationMs };
      if (failure) return { ...withStatus, bytes, text: bytes.subarray(0, DISPLAY_LIMIT).toString('utf8'), failure, jsonError: failure };
      let decoded: Buffer;
      try {
        decoded = decode(bytes, resHeaders['content-encoding'] ?? '', this.options.maxBodyBytes);
      } catch (e) {
        const why = `body could not be decoded (${(e as Error).message})`;
        return { ...withStatus, bytes, failure: why, jsonError: why };
      }
      const text = decoded.toString('utf8');
      return { ...withStatus, bytes: decoded, text: text.slice(0, DISPLAY_LIMIT), ...parseJson(text, contentType) };
    } catch (error) {
      const { failure, kind } = describeNetworkError(error, this.options.timeoutMs);
      return { ...base, status: null, durationMs: Math.round(performance.now() - started), failure, failureKind: kind };
    }
  }

  private async readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<{ bytes: Buffer; failure?: string }> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += chunk.length;
        if (size > this.options.maxBodyBytes) {
          body.destroy();
          return { bytes: Buffer.concat(chunks), failure: `response body larger than the ${this.options.maxBodyBytes}-byte limit` };
        }
        chunks.push(chunk);
      }
    } catch (error) {
      return { bytes: Buffer.concat(chunks), failure: `response body cut off: ${describeNetworkError(error, this.options.timeoutMs).failure}` };
    }
    return { bytes: Buffer.concat(chunks) };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function curlLine(req: ExchangeRequest): string {
  const parts = ['curl', '-sS', '-X', req.method, shellQuote(req.url)];
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'accept-encoding' || (k === 'content-type' && req.body?.curlArgs.some((a) => a === '-F'))) continue;
    parts.push('-H', shellQuote(`${k}: ${v}`));
  }
  if (req.body) parts.push(...req.body.curlArgs.map((a) => (a.startsWith('-') ? a : shellQuote(a))));
  return parts.join(' ');
}

function clip(text: string, limit = 1500): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}

/** The evidence of one exchange, masked, ready for a failure message or a report. */
export function renderExchange(ex: Exchange): string {
  const lines = [`→ ${ex.request.method} ${ex.request.url}`];
  for (const [name, value] of Object.entries(ex.request.headers)) {
    // Which credential was sent is evidence; its value is masked below.
    if (isSecretName(name)) lines.push(`  ${name}: ${value}`);
  }
  if (ex.request.body) lines.push(`  ${ex.request.body.contentType.split(';')[0]}: ${clip(mask(ex.request.body.display), 800)}`);
  if (ex.status === null) {
    lines.push(`← no response after ${ex.durationMs} ms: ${ex.failure ?? 'unknown failure'}`);
  } else {
    lines.push(`← ${ex.status} ${ex.contentType || '(no content-type)'} in ${ex.durationMs} ms${ex.failure ? ` — ${ex.failure}` : ''}`);
    // Masked before it is clipped: a secret cut in two by the clip would no longer be recognised.
    if (ex.text) lines.push(`  ${clip(mask(ex.text))}`);
    if (ex.jsonError && /json/i.test(ex.contentType) && !ex.failure) lines.push(`  (${ex.jsonError})`);
  }
  lines.push(`Reproduce with: ${curlLine(ex.request)}`);
  return mask(lines.join('\n'));
}
