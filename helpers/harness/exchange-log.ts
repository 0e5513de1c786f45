/**
 * Records every exchange of a worker for exchanges.har. Loaded as a vitest setup file by the CLI:
 * each exchange becomes a HAR entry at once (bodies cut, so memory stays small), tagged with the
 * check in progress, and the entries are written, masked, to a file of this worker in the report
 * directory when each spec file ends. Masking waits until then because a token or code is
 * registered as a secret only after the answer carrying it arrives.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, inject } from 'vitest';
import { BREAKER_MARK, onExchange, type Exchange } from '../wire/http.js';
import { currentScope } from '../wire/scope.js';
import { EXCHANGE_DIR, maskEntry, type Json } from '../../cli/har.js';

const BODY_LIMIT = 64 * 1024;

interface Recorded {
  readonly ex: Exchange;
  readonly requirement: string | null;
  readonly startedAt: number;
}


// Vitest runs a setup file again before each spec file of a worker: the recorder is per thread.
const state = ((globalThis as Record<symbol, unknown>)[Symbol.for('accounts-conformance.exchange-log')] ??= { pending: [], listening: false }) as {
  pending: Json[];
  listening: boolean;
};
const pending = state.pending;

function isText(contentType: string): boolean {
  return contentType === '' || /json|text|xml|x-www-form-urlencoded|javascript/i.test(contentType);
}

function clip(text: string): string {
  return text.length > BODY_LIMIT ? text.slice(0, BODY_LIMIT) : text;
}

/** One HAR 1.2 entry, not masked yet. */
export function harEntry({ ex, requirement, startedAt }: Recorded): Json {
  const url = ex.request.url;
  let queryString: { name: string; value: string }[] = [];
  try {
    queryString = [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    queryString = [];
  }
  const body = ex.request.body;
  const postData = body
    ? { mimeType: body.contentType, text: isText(body.contentType) ? clip(body.bytes.toString('utf8')) : body.display }
    : undefined;
  const responseText = ex.bytes.length > 0 && isText(ex.contentType) && !ex.failure ? ex.bytes.toString('utf8') : ex.text;
  const textual = isText(ex.contentType);
  const content: { [key: string]: Json } = { size: ex.bytes.length, mimeType: ex.contentType || 'application/octet-stream' };
  if (textual) content.text = clip(responseText);
  else if (ex.bytes.length) content.comment = 'binary body not recorded';
  if (textual && responseText.length > BODY_LIMIT) content.comment = `body cut at ${BODY_LIMIT} characters`;
  return {
    startedDateTime: new Date(startedAt).toISOString(),
    time: ex.durationMs,
    _requirement: requirement,
    comment: requirement ?? 'outside any check (setup)',
    request: {
      method: ex.request.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: Object.entries(ex.request.headers).map(([name, value]) => ({ name, value })),
      queryString,
      ...(postData ? { postData } : {}),
      headersSize: -1,
      bodySize: body ? body.bytes.length : 0,
    },
    response: {
      status: ex.status ?? 0,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: Object.entries(ex.headers).map(([name, value]) => ({ name, value })),
      content,
      redirectURL: ex.headers.location ?? '',
      headersSize: -1,
      bodySize: ex.bytes.length,
      ...(ex.failure ? { _error: ex.failure } : {}),
    },
    cache: {},
    timings: { send: 0, wait: ex.durationMs, receive: 0 },
  };
}

function flush(reportDir: string): void {
  if (pending.length === 0) return;
  const lines = pending.splice(0).map((entry) => JSON.stringify(maskEntry(entry)));
  const dir = join(reportDir, EXCHANGE_DIR);
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${process.pid}-${threadId}.jsonl`), `${lines.join('\n')}\n`);
}

/**
 * Records the exchanges of the spec file being loaded and writes them, masked, to `reportDir`
 * when it ends. A worker runs one spec file at a time, so what is pending then is that file's.
 */
export function recordExchanges(reportDir: string): void {
  if (!state.listening) {
    state.listening = true;
    onExchange((ex) => {
      // A request the circuit breaker did not send is no exchange.
      if (ex.status === null && ex.durationMs === 0 && ex.failure?.startsWith(BREAKER_MARK)) return;
      pending.push(harEntry({ ex, requirement: currentScope()?.requirementId ?? null, startedAt: Date.now() - ex.durationMs }));
    });
  }
  afterAll(() => flush(reportDir));
}

// As the setup file of an ordinary run; a batch's spec wrappers call recordExchanges themselves.
const settings = inject('accounts');
if (settings?.reportDir) recordExchanges(settings.reportDir);
