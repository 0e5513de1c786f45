/**
 * The suite's HTTP client. It never throws on a status or a network failure: every call returns
 * a recorded Exchange (request, response, timing) that checks assert on and failure messages
 * render, masked, with a curl line to reproduce it.
 */
import { Agent, request as undiciRequest } from 'undici';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { mask } from './mask.js';

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
  readonly bytes: Buffer;
  readonly durationMs: number;
}

export interface ClientOptions {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
}

export interface SendOptions {
  readonly headers?: Record<string, string>;
  readonly body?: OutgoingBody;
  /** Wait and retry once on 429 with a short Retry-After (rate limiting is allowed by the contract). */
  readonly retryOnRateLimit?: boolean;
}

const DISPLAY_LIMIT = 4000;
const MAX_RETRY_AFTER_S = 3;

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return `no complete response within ${timeoutMs} ms (timeout)`;
  }
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset by the server before a complete response';
  if (code === 'UND_ERR_SOCKET') return 'the server closed the connection before a complete response';
  if (code === 'ENOTFOUND') return 'host not found';
  return `${code ?? e.name ?? 'error'}: ${e.message ?? String(error)}`;
}

/**
 * After this many transport failures in a row (no HTTP answer at all), the target is taken for
 * dead: the remaining requests fail at once instead of each waiting out its timeout.
 */
const BREAKER_THRESHOLD = 6;
export const BREAKER_MARK = 'circuit breaker open';

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
  private failuresInARow = 0;
  private lastFailure = '';

  constructor(private readonly options: ClientOptions) {
    this.agent = new Agent({ keepAliveTimeout: 10_000, connections: 64, connect: { timeout: options.timeoutMs } });
  }

  async send(method: string, url: string, opts: SendOptions = {}): Promise<Exchange> {
    const first = await this.once(method, url, opts);
    if (opts.retryOnRateLimit !== false && first.status === 429) {
      const wait = Number(first.headers['retry-after'] ?? '1');
      if (Number.isFinite(wait) && wait <= MAX_RETRY_AFTER_S) {
        await new Promise((r) => setTimeout(r, Math.max(wait, 0.2) * 1000));
        return this.once(method, url, opts);
      }
    }
    return first;
  }

  private async once(method: string, url: string, opts: SendOptions): Promise<Exchange> {
    const ex = await this.attempt(method, url, opts);
    for (const listener of listeners) listener(ex);
    if (ex.status === null && !ex.failure?.startsWith(BREAKER_MARK)) {
      this.failuresInARow++;
      this.lastFailure = ex.failure ?? 'no response';
    } else if (ex.status !== null) {
      this.failuresInARow = 0;
    }
    return ex;
  }

  private async attempt(method: string, url: string, opts: SendOptions): Promise<Exchange> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br', ...opts.headers };
    if (opts.body) headers['content-type'] = opts.body.contentType;
    const request: ExchangeRequest = { method, url, headers, body: opts.body };
    const started = performance.now();
    const base = { request, headers: {}, contentType: '', text: '', json: undefined, bytes: Buffer.alloc(0) };
    if (this.failuresInARow >= BREAKER_THRESHOLD) {
      const failure = `${BREAKER_MARK}: the target failed ${this.failuresInARow} requests in a row (last: ${this.lastFailure}), so this one was not sent`;
      return { ...base, status: null, durationMs: 0, failure };
    }
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
      return { ...base, status: null, durationMs: Math.round(performance.now() - started), failure: describeNetworkError(error, this.options.timeoutMs) };
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
      return { bytes: Buffer.concat(chunks), failure: `response body cut off: ${describeNetworkError(error, this.options.timeoutMs)}` };
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
    if (/^(authorization|x-[\w-]*token|x-api-key)$/i.test(name)) lines.push(`  ${name}: ${value}`);
  }
  if (ex.request.body) lines.push(`  ${ex.request.body.contentType.split(';')[0]}: ${clip(ex.request.body.display, 800)}`);
  if (ex.status === null) {
    lines.push(`← no response after ${ex.durationMs} ms: ${ex.failure ?? 'unknown failure'}`);
  } else {
    lines.push(`← ${ex.status} ${ex.contentType || '(no content-type)'} in ${ex.durationMs} ms${ex.failure ? ` — ${ex.failure}` : ''}`);
    if (ex.text) lines.push(`  ${clip(ex.text)}`);
    if (ex.jsonError && /json/i.test(ex.contentType) && !ex.failure) lines.push(`  (${ex.jsonError})`);
  }
  lines.push(`Reproduce with: ${curlLine(ex.request)}`);
  return mask(lines.join('\n'));
}
