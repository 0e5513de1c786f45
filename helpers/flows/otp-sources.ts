/**
 * OTP sources, one adapter per kind (`--otp-source kind:rest`): how the option is parsed, how
 * the source is described in the reports, how a hook on the target is resolved, and how a code
 * (or, for a `link` reset, a uid and token) is read. A new kind is one more adapter in the table.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { throttledReason } from '../checks.js';
import { Inconclusive, OtpUnavailable } from '../outcome.js';
import type { Exchange, HttpClient } from '../wire/http.js';
import type { OtpRequest, ResetLink } from './otp.js';
import { childEnvironment, isHttpUrl, isUrlOrTargetPath, onTarget, SourceError, splitSource } from './sources.js';

export type OtpSource =
  | { readonly kind: 'fixed'; readonly code: string }
  | { readonly kind: 'http'; readonly template: string }
  | { readonly kind: 'command'; readonly command: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'mailpit'; readonly url: string };

export type OtpSourceKind = OtpSource['kind'];

/** What reading needs from the run: the HTTP client, and the request timeout (a command's bound). */
export interface ReadContext {
  readonly client: HttpClient;
  readonly timeoutMs: number;
}

export interface OtpSourceAdapter<S extends OtpSource> {
  /** What follows `kind:` in the option, checked; a SourceError says what is wrong. */
  parse(rest: string): S;
  /** The source in the reports: where codes come from, never a code. */
  describe(source: S): string;
  /** The source with a hook given as a path resolved against the target (see onTarget). */
  resolve?(source: S, baseUrl: string): S;
  read(source: S, req: OtpRequest, ctx: ReadContext): Promise<string>;
  /** The uid and token of a reset mail (reset style `link`); absent: the kind gives codes only. */
  readLink?(source: S, req: OtpRequest, ctx: ReadContext): Promise<ResetLink>;
}

const POLL_MS = 100;
const POLL_ATTEMPTS = 20;
const pause = () => new Promise((r) => setTimeout(r, POLL_MS));

/** The template's placeholders, URL-encoded; the template is absolute (resolved before the run). */
export function expandTemplate(template: string, req: OtpRequest): string {
  return template.replace(/\{(identifier|channel|purpose)\}/g, (_m, key: keyof OtpRequest) => encodeURIComponent(req[key]));
}

const CODE_KEYS = ['otp', 'code'] as const;

/** A code under `otp` or `code`, at the top of a JSON object or in its `data`. */
function codeFromJson(json: object): string | null {
  for (const holder of [json, (json as { data?: unknown }).data]) {
    if (!holder || typeof holder !== 'object') continue;
    for (const key of CODE_KEYS) {
      const value = (holder as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.trim()) return value.trim();
      if (typeof value === 'number') return String(value);
    }
  }
  return null;
}

/**
 * A JSON answer's `otp` or `code` (also under `data`), or the code in a text body. A JSON answer
 * without one holds no code: its digits (a timestamp, an id) are never taken for one.
 */
export function codeFromBody(text: string, json: unknown): string | null {
  if (json !== undefined && json !== null && typeof json === 'object') return codeFromJson(json);
  if (json !== undefined) return null;
  const match = /\b\d{4,10}\b/.exec(text);
  return match ? match[0] : null;
}

/** A JSON `{"uid": "...", "token": "..."}` answer (reset style link). */
function linkFromJson(json: unknown): ResetLink | null {
  const { uid, token } = (json ?? {}) as { uid?: unknown; token?: unknown };
  return typeof uid === 'string' && typeof token === 'string' ? { uid, token } : null;
}

/** The last two path segments of the first link in a text: `…/reset/<uid>/<token>`. */
export function linkFromText(text: string): ResetLink | null {
  const url = /https?:\/\/\S+|(?:^|\s)\/?[\w-]+(?:\/[\w-]+){2,}\/?/.exec(text)?.[0].trim();
  const parts = url?.replace(/[)>.,;"']+$/, '').split('/').filter(Boolean) ?? [];
  const [uid, token] = parts.slice(-2);
  return uid && token && parts.length >= 3 ? { uid, token } : null;
}

/** The secret of an http source's answer: a code, or (reset style link) a uid and token, named in messages. */
interface HttpSecret<T> {
  readonly noun: string;
  readonly of: (ex: Exchange) => T | null;
}

const HTTP_CODE: HttpSecret<string> = { noun: 'code', of: (ex) => codeFromBody(ex.text, ex.json) };
const HTTP_LINK: HttpSecret<ResetLink> = { noun: 'uid and token', of: (ex) => linkFromJson(ex.json) };

async function fromHttp<T>(template: string, req: OtpRequest, client: HttpClient, secret: HttpSecret<T>): Promise<T> {
  const url = expandTemplate(template, req);
  let last = '';
  // The code may arrive a moment after send-otp answers (a queue, a mail worker): poll briefly.
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const ex = await client.send('GET', url);
    // A hook behind the target's rate limit: the code is unreadable for now, the check inconclusive.
    if (ex.throttled) throw new Inconclusive(throttledReason(ex));
    if (ex.status === 200) {
      const found = secret.of(ex);
      if (found) return found;
      throw new OtpUnavailable(`OTP source answered 200 without a ${secret.noun} for ${req.channel} ${req.purpose}`);
    }
    last = ex.status === null ? (ex.failure ?? 'no response') : `HTTP ${ex.status}`;
    if (ex.status !== 404) break;
    await pause();
  }
  throw new OtpUnavailable(`OTP source gave no ${secret.noun} for ${req.channel} ${req.purpose} (${last})`);
}

function runCommandOnce(command: string, req: OtpRequest, timeoutMs: number): Promise<string> {
  const env = childEnvironment({ OTP_IDENTIFIER: req.identifier, OTP_CHANNEL: req.channel, OTP_PURPOSE: req.purpose });
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { env, timeout: timeoutMs, maxBuffer: 64 * 1024 }, (error, stdout) => {
      const code = stdout.trim().split(/\s+/).pop() ?? '';
      if (error) reject(new OtpUnavailable(`OTP command failed for ${req.channel} ${req.purpose}: ${error.message.split('\n')[0]}`));
      else if (!code) reject(new OtpUnavailable(`OTP command printed no code for ${req.channel} ${req.purpose}`));
      else resolve(code);
    });
  });
}

/** Runs the command until it prints a code, as the other sources poll: the mail may arrive a moment after send-otp answers. */
async function fromCommand(command: string, req: OtpRequest, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + Math.max(timeoutMs, POLL_MS * POLL_ATTEMPTS);
  for (;;) {
    try {
      return await runCommandOnce(command, req, timeoutMs);
    } catch (error) {
      if (Date.now() + POLL_MS >= deadline) throw error;
      await pause();
    }
  }
}

/** The outbox line's secret: a code, else the digits in its body. */
function codeFromMessage(entry: Record<string, unknown>): string | null {
  for (const key of CODE_KEYS) if (typeof entry[key] === 'string' || typeof entry[key] === 'number') return String(entry[key]);
  for (const key of ['body', 'text', 'html']) if (typeof entry[key] === 'string') return codeFromBody(entry[key], undefined);
  return null;
}

/** The outbox line's uid and token: as fields, else from its link or body. */
function linkFromMessage(entry: Record<string, unknown>): ResetLink | null {
  if (typeof entry.uid === 'string' && typeof entry.token === 'string') return { uid: entry.uid, token: entry.token };
  for (const key of ['url', 'body']) if (typeof entry[key] === 'string') return linkFromText(entry[key]);
  return null;
}

function matches(entry: Record<string, unknown>, req: OtpRequest): boolean {
  const to = typeof entry.to === 'string' ? entry.to : Array.isArray(entry.to) ? entry.to.join(',') : '';
  const kind = typeof entry.kind === 'string' ? entry.kind : req.purpose;
  return to.toLowerCase().includes(req.identifier.toLowerCase()) && kind === req.purpose;
}

/**
 * file:<path>: an outbox of JSON lines (one message each, with `to` and `kind`, the code in `otp`,
 * `code` or the `body`), as a test mail backend writes it. The latest match wins; polled briefly.
 */
async function fromFile<T>(path: string, req: OtpRequest, secretOf: (entry: Record<string, unknown>) => T | null): Promise<T> {
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const lines = (await readFile(path, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim());
    for (const line of lines.reverse()) {
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      if (entry && typeof entry === 'object' && matches(entry as Record<string, unknown>, req)) {
        const secret = secretOf(entry as Record<string, unknown>);
        if (secret) return secret;
      }
    }
    await pause();
  }
  throw new OtpUnavailable(`no message to ${req.channel} recipient for ${req.purpose} in the outbox ${path}`);
}

/** mailpit:<url>: the text of the latest message to the recipient through Mailpit's API. */
async function fromMailpit<T>(base: string, req: OtpRequest, client: HttpClient, secretOf: (text: string) => T | null): Promise<T> {
  const root = base.endsWith('/') ? base : `${base}/`;
  const search = new URL(`api/v1/search?query=${encodeURIComponent(`to:"${req.identifier}"`)}&limit=1`, root);
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const list = await client.send('GET', search.toString());
    if (list.throttled) throw new Inconclusive(throttledReason(list));
    const id = (list.json as { messages?: { ID?: string }[] } | undefined)?.messages?.[0]?.ID;
    if (id) {
      const message = await client.send('GET', new URL(`api/v1/message/${encodeURIComponent(id)}`, root).toString());
      if (message.throttled) throw new Inconclusive(throttledReason(message));
      const secret = secretOf((message.json as { Text?: string } | undefined)?.Text ?? '');
      if (secret) return secret;
    }
    await pause();
  }
  throw new OtpUnavailable(`Mailpit has no message with a ${req.purpose} secret for that ${req.channel}`);
}

type Adapters = { readonly [K in OtpSourceKind]: OtpSourceAdapter<Extract<OtpSource, { readonly kind: K }>> };

export const OTP_SOURCES: Adapters = {
  fixed: {
    parse: (rest) => {
      if (!/^\S+$/.test(rest)) throw new SourceError("--otp-source fixed:<code> needs a code, e.g. 'fixed:123456'");
      return { kind: 'fixed', code: rest };
    },
    describe: () => 'fixed code',
    read: async (source) => source.code,
  },
  http: {
    parse: (rest) => {
      // A relative template ('http:/__conformance__/otp?...') resolves against the target's origin.
      if (!isUrlOrTargetPath(rest.replace(/\{(identifier|channel|purpose)\}/g, 'x'))) {
        throw new SourceError(`--otp-source http:<url template> needs an http(s) URL or a path, not '${rest}'`);
      }
      return { kind: 'http', template: rest };
    },
    describe: (source) => `http ${source.template.split('?')[0]}`,
    resolve: (source, baseUrl) => ({ kind: 'http', template: onTarget(source.template, baseUrl) }),
    read: (source, req, { client }) => fromHttp(source.template, req, client, HTTP_CODE),
    readLink: (source, req, { client }) => fromHttp(source.template, req, client, HTTP_LINK),
  },
  command: {
    parse: (rest) => {
      if (!rest.trim()) throw new SourceError('--otp-source command:<shell command> needs a command');
      return { kind: 'command', command: rest };
    },
    describe: () => 'command',
    read: (source, req, { timeoutMs }) => fromCommand(source.command, req, timeoutMs),
  },
  file: {
    parse: (rest) => {
      if (!rest.trim()) throw new SourceError('--otp-source file:<path> needs the path of an outbox file (JSON lines)');
      return { kind: 'file', path: rest };
    },
    describe: (source) => `outbox file ${source.path}`,
    read: (source, req) => fromFile(source.path, req, codeFromMessage),
    readLink: (source, req) => fromFile(source.path, req, linkFromMessage),
  },
  mailpit: {
    parse: (rest) => {
      if (!isHttpUrl(rest)) throw new SourceError(`--otp-source mailpit:<url> needs Mailpit's http(s) URL, not '${rest}'`);
      return { kind: 'mailpit', url: rest };
    },
    describe: (source) => `Mailpit at ${source.url}`,
    read: (source, req, { client }) => fromMailpit(source.url, req, client, (text) => codeFromBody(text, undefined)),
    readLink: (source, req, { client }) => fromMailpit(source.url, req, client, linkFromText),
  },
};

function isKind(kind: string): kind is OtpSourceKind {
  return Object.hasOwn(OTP_SOURCES, kind);
}

/** The adapter of a source's kind. */
export function otpSourceAdapter(source: OtpSource): OtpSourceAdapter<OtpSource> {
  return OTP_SOURCES[source.kind];
}

/** `--otp-source kind:rest`, checked by its kind's adapter. */
export function parseOtpSource(value: string): OtpSource {
  const { kind, rest } = splitSource(value);
  if (isKind(kind)) return OTP_SOURCES[kind].parse(rest);
  const kinds = Object.keys(OTP_SOURCES).map((k) => `${k}:`);
  throw new SourceError(`--otp-source must start with ${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}, not '${value}'`);
}

export function describeOtpSource(source: OtpSource): string {
  return otpSourceAdapter(source).describe(source);
}

/** The source with a hook given as a path resolved against the target's base URL. */
export function resolveOtpSource(source: OtpSource, baseUrl: string): OtpSource {
  return otpSourceAdapter(source).resolve?.(source, baseUrl) ?? source;
}
