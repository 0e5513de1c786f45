/**
 * OTP sources, one adapter per kind (`--otp-source kind:rest`): how the option is parsed, how
 * the source is described in the reports, how a hook on the target is resolved, and how a code
 * (or, for a `link` reset, a uid and token; for a `token` reset, the one token) is read. A new
 * kind is one more adapter in the table.
 *
 * Outbox records (file: lines, http: answers) are read in every shape test mailers write: the
 * secret under `otp`, `code` or `token`, in a link (`link`, `url`, `urls`) or in the `text`,
 * `body`, `html` or `subject`; the record for a request is the latest whose recipient (`to`) is
 * the identifier and whose purpose (`kind`, else `subject`) is the request's.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { throttledReason } from '../checks.js';
import { Inconclusive, OtpUnavailable } from '../outcome.js';
import type { Exchange, HttpClient } from '../wire/http.js';
import type { OtpPurpose, OtpRequest, ResetLink } from './otp.js';
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
  /** The one token of a reset mail (reset style `token`); absent: the kind gives codes only. */
  readToken?(source: S, req: OtpRequest, ctx: ReadContext): Promise<string>;
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

/** The last two path segments of the first link in a text: `…/reset/<uid>/<token>`. */
export function linkFromText(text: string): ResetLink | null {
  const url = /https?:\/\/\S+|(?:^|\s)\/?[\w-]+(?:\/[\w-]+){2,}\/?/.exec(text)?.[0].trim();
  const parts = url?.replace(/[)>.,;"']+$/, '').split('/').filter(Boolean) ?? [];
  const [uid, token] = parts.slice(-2);
  return uid && token && parts.length >= 3 ? { uid, token } : null;
}

/** The names a reset token goes by: in a link's query string or fragment, and as a record's field. */
const TOKEN_PARAMS = ['token', 'reset_token', 'resetToken'] as const;

/** A path segment or bare fragment that is a token, not a word of the route (`choose_password`): long, with a digit or mixed case. */
function tokenShaped(value: string): boolean {
  return /^[\w.~%-]{16,}$/.test(value) && (/\d/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value)));
}

/**
 * The reset token of one link, and how it was found: named in its query string or fragment
 * (`?token=…`, `#token=…`, `#/reset?token=…`), else a bare fragment or the last path segment
 * (`…/reset/<token>`) when token-shaped. A relative link is read as well.
 */
function tokenOfLink(link: string): { readonly token: string; readonly named: boolean } | null {
  let url: URL;
  try {
    url = new URL(link.trim().replace(/&amp;/g, '&'), 'http://link.invalid/');
  } catch {
    return null;
  }
  const hash = url.hash.slice(1);
  const fragment = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : hash);
  for (const params of [url.searchParams, fragment]) {
    for (const key of TOKEN_PARAMS) {
      const value = params.get(key)?.trim();
      if (value) return { token: value, named: true };
    }
  }
  if (hash && tokenShaped(hash)) return { token: decodeURIComponent(hash), named: false };
  const segments = url.pathname.split('/').filter(Boolean);
  const last = segments.at(-1);
  return last && segments.length >= 2 && tokenShaped(last) ? { token: decodeURIComponent(last), named: false } : null;
}

/** The token of the first link that names one, else of the first whose path or fragment ends in one. */
export function tokenFromLinks(links: readonly string[]): string | null {
  const found = links.map(tokenOfLink).filter((f) => f !== null);
  return (found.find((f) => f.named) ?? found[0])?.token ?? null;
}

/** The absolute links in a text (an HTML mail's `&amp;` read as `&`). */
function linksIn(text: string): string[] {
  return [...text.replace(/&amp;/g, '&').matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0].replace(/[)>.,;]+$/, ''));
}

/** The reset token of the links in a text: `https://host/…/choose_password?token=…&username=…`, `…/reset/<token>`. */
export function tokenFromText(text: string): string | null {
  return tokenFromLinks(linksIn(text));
}

/** A record's string fields, in order, among `keys`. */
function strings(entry: Record<string, unknown>, keys: readonly string[]): string[] {
  return keys.flatMap((key) => (typeof entry[key] === 'string' ? [entry[key]] : []));
}

/** A record's links: `link`, `url`, `resetLink`, and the members of `urls` or `links`. */
function linksOf(entry: Record<string, unknown>): string[] {
  const lists = ['urls', 'links'].flatMap((key) => (Array.isArray(entry[key]) ? (entry[key] as unknown[]).filter((u): u is string => typeof u === 'string') : []));
  return [...strings(entry, ['link', 'url', 'resetLink']), ...lists];
}

const TEXT_KEYS = ['text', 'body', 'html'] as const;

/** A record's code: under `otp`, `code` or `token`, else the digits of its text, body, html or subject. */
export function codeFromMessage(entry: Record<string, unknown>): string | null {
  for (const key of [...CODE_KEYS, 'token']) {
    const value = entry[key];
    if ((typeof value === 'string' && value.trim()) || typeof value === 'number') return String(value).trim();
  }
  for (const text of strings(entry, [...TEXT_KEYS, 'subject'])) {
    const code = codeFromBody(text, undefined);
    if (code) return code;
  }
  return null;
}

/** A record's uid and token (reset style link): as fields, else from its link or text. */
export function linkFromMessage(entry: Record<string, unknown>): ResetLink | null {
  if (typeof entry.uid === 'string' && typeof entry.token === 'string') return { uid: entry.uid, token: entry.token };
  for (const text of [...linksOf(entry), ...strings(entry, TEXT_KEYS)]) {
    const link = linkFromText(text);
    if (link) return link;
  }
  return null;
}

/** A record's one reset token (reset style token): under `token` (or `reset_token`), else in its links, else in the links of its text. */
export function tokenFromMessage(entry: Record<string, unknown>): string | null {
  const field = strings(entry, TOKEN_PARAMS).find((t) => t.trim());
  return field?.trim() ?? tokenFromLinks(linksOf(entry)) ?? strings(entry, TEXT_KEYS).map(tokenFromText).find((t) => t !== null) ?? null;
}

/** Words of a record's `kind` or `subject` that name each purpose; reset is tried first ("Password reset code"). */
const PURPOSE_WORDS: ReadonlyArray<readonly [OtpPurpose, RegExp]> = [
  ['reset', /reset|recover|forgot|password/i],
  ['verify', /verif|confirm|activat|otp|code|sign.?in|log.?in|magic|2fa|mfa|one.?time/i],
];

function purposeIn(words: unknown): OtpPurpose | null {
  return typeof words === 'string' ? (PURPOSE_WORDS.find(([, re]) => re.test(words))?.[0] ?? null) : null;
}

/** A record's recipients: `to` (a string, a list, or objects with `address` or `email`) or `recipient`. */
function recipients(entry: Record<string, unknown>): string[] {
  const one = (to: unknown): string[] =>
    typeof to === 'string' ? [to] : Array.isArray(to) ? to.flatMap(one) : to && typeof to === 'object' ? strings(to as Record<string, unknown>, ['address', 'email']) : [];
  return [...one(entry.to), ...one(entry.recipient)];
}

/** The identifier, as a whole address or number in a recipient ("Bob <bob@x.io>"), never as a part of another ("bbob@x.io"). */
function addressedTo(entry: Record<string, unknown>, identifier: string): boolean {
  const escaped = identifier.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const bounded = identifier.includes('@') ? new RegExp(`(^|[^\\w.+-])${escaped}($|[^\\w.-])`) : new RegExp(`(^|\\D)${escaped}($|\\D)`);
  return recipients(entry).some((to) => bounded.test(to.toLowerCase()));
}

/**
 * Whether a record answers the request: sent to the identifier, for its purpose. The purpose is
 * read from `kind` ("verify", "passwordReset", "otp"), else from the `subject`; a record that
 * names neither serves any purpose, one whose kind names another purpose or none known, none.
 */
export function recordMatches(entry: Record<string, unknown>, req: OtpRequest): boolean {
  if (!addressedTo(entry, req.identifier)) return false;
  const purpose = purposeIn(entry.kind) ?? purposeIn(entry.subject);
  return purpose === null ? entry.kind === undefined : purpose === req.purpose;
}

/** The secret of the latest record (in the order written) that answers the request. */
function fromRecords<T>(records: readonly unknown[], req: OtpRequest, secretOf: (entry: Record<string, unknown>) => T | null): T | null {
  for (const entry of [...records].reverse()) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry) || !recordMatches(entry as Record<string, unknown>, req)) continue;
    const secret = secretOf(entry as Record<string, unknown>);
    if (secret) return secret;
  }
  return null;
}

/** How one kind of secret is read: from a record (file line, JSON answer) and from a text; named in messages. */
interface SecretShape<T> {
  readonly noun: string;
  readonly ofRecord: (entry: Record<string, unknown>) => T | null;
  readonly ofText: (text: string) => T | null;
}

const CODE: SecretShape<string> = { noun: 'code', ofRecord: codeFromMessage, ofText: (text) => codeFromBody(text, undefined) };
const UID_TOKEN: SecretShape<ResetLink> = { noun: 'uid and token', ofRecord: linkFromMessage, ofText: linkFromText };
const TOKEN: SecretShape<string> = { noun: 'token', ofRecord: tokenFromMessage, ofText: tokenFromText };

/**
 * The secret of an http source's answer: a JSON object is one record (or holds it in `data`); a
 * JSON list holds records, the latest for the request's identifier and purpose answering; a text
 * body holds the secret. Other JSON (a number, a string) holds none.
 */
export function secretOfAnswer<T>(ex: Pick<Exchange, 'text' | 'json'>, req: OtpRequest, shape: SecretShape<T>): T | null {
  const { json } = ex;
  if (json === undefined) return shape.ofText(ex.text);
  const data = json && typeof json === 'object' ? (json as { data?: unknown }).data : undefined;
  const list = Array.isArray(json) ? json : Array.isArray(data) ? data : null;
  if (list) return fromRecords(list, req, shape.ofRecord);
  if (!json || typeof json !== 'object') return null;
  return shape.ofRecord(json as Record<string, unknown>) ?? (data && typeof data === 'object' ? shape.ofRecord(data as Record<string, unknown>) : null);
}

async function fromHttp<T>(template: string, req: OtpRequest, client: HttpClient, shape: SecretShape<T>): Promise<T> {
  const url = expandTemplate(template, req);
  let last = '';
  // The code may arrive a moment after send-otp answers (a queue, a mail worker): poll briefly.
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const ex = await client.send('GET', url);
    // A hook behind the target's rate limit: the code is unreadable for now, the check inconclusive.
    if (ex.throttled) throw new Inconclusive(throttledReason(ex));
    if (ex.status === 200) {
      const found = secretOfAnswer(ex, req, shape);
      if (found) return found;
      throw new OtpUnavailable(`OTP source answered 200 without a ${shape.noun} for ${req.channel} ${req.purpose}`);
    }
    last = ex.status === null ? (ex.failure ?? 'no response') : `HTTP ${ex.status}`;
    if (ex.status !== 404) break;
    await pause();
  }
  throw new OtpUnavailable(`OTP source gave no ${shape.noun} for ${req.channel} ${req.purpose} (${last})`);
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

/**
 * file:<path>: an outbox of JSON lines, one message each, as a test mail backend writes it (see
 * the module's comment for the shapes read). The latest match wins; polled briefly.
 */
async function fromFile<T>(path: string, req: OtpRequest, shape: SecretShape<T>): Promise<T> {
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const lines = (await readFile(path, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim());
    const records = lines.map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return null;
      }
    });
    const secret = fromRecords(records, req, shape.ofRecord);
    if (secret) return secret;
    await pause();
  }
  throw new OtpUnavailable(`no message to ${req.channel} recipient for ${req.purpose} with a ${shape.noun} in the outbox ${path}`);
}

/** mailpit:<url>: the text of the latest message to the recipient through Mailpit's API. */
async function fromMailpit<T>(base: string, req: OtpRequest, client: HttpClient, shape: SecretShape<T>): Promise<T> {
  const root = base.endsWith('/') ? base : `${base}/`;
  const search = new URL(`api/v1/search?query=${encodeURIComponent(`to:"${req.identifier}"`)}&limit=1`, root);
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const list = await client.send('GET', search.toString());
    if (list.throttled) throw new Inconclusive(throttledReason(list));
    const id = (list.json as { messages?: { ID?: string }[] } | undefined)?.messages?.[0]?.ID;
    if (id) {
      const message = await client.send('GET', new URL(`api/v1/message/${encodeURIComponent(id)}`, root).toString());
      if (message.throttled) throw new Inconclusive(throttledReason(message));
      const secret = shape.ofText((message.json as { Text?: string } | undefined)?.Text ?? '');
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
    read: (source, req, { client }) => fromHttp(source.template, req, client, CODE),
    readLink: (source, req, { client }) => fromHttp(source.template, req, client, UID_TOKEN),
    readToken: (source, req, { client }) => fromHttp(source.template, req, client, TOKEN),
  },
  command: {
    parse: (rest) => {
      if (!rest.trim()) throw new SourceError('--otp-source command:<shell command> needs a command');
      return { kind: 'command', command: rest };
    },
    describe: () => 'command',
    read: (source, req, { timeoutMs }) => fromCommand(source.command, req, timeoutMs),
    // The command prints the token, or the link that carries it.
    readToken: async (source, req, { timeoutMs }) => {
      const printed = await fromCommand(source.command, req, timeoutMs);
      return tokenFromLinks([printed]) ?? printed;
    },
  },
  file: {
    parse: (rest) => {
      if (!rest.trim()) throw new SourceError('--otp-source file:<path> needs the path of an outbox file (JSON lines)');
      return { kind: 'file', path: rest };
    },
    describe: (source) => `outbox file ${source.path}`,
    read: (source, req) => fromFile(source.path, req, CODE),
    readLink: (source, req) => fromFile(source.path, req, UID_TOKEN),
    readToken: (source, req) => fromFile(source.path, req, TOKEN),
  },
  mailpit: {
    parse: (rest) => {
      if (!isHttpUrl(rest)) throw new SourceError(`--otp-source mailpit:<url> needs Mailpit's http(s) URL, not '${rest}'`);
      return { kind: 'mailpit', url: rest };
    },
    describe: (source) => `Mailpit at ${source.url}`,
    read: (source, req, { client }) => fromMailpit(source.url, req, client, CODE),
    readLink: (source, req, { client }) => fromMailpit(source.url, req, client, UID_TOKEN),
    readToken: (source, req, { client }) => fromMailpit(source.url, req, client, TOKEN),
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
