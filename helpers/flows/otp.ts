/**
 * OTP sources: how the suite reads the codes the server sends. Pluggable so that a fixed test
 * code, an HTTP hook on the target or a shell command can each stand in for an inbox.
 */
import { throttledReason } from '../checks.js';
import { Inconclusive, OtpUnavailable } from '../outcome.js';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { childEnvironment, type OtpSource } from '../../cli/config.js';
import type { Exchange, HttpClient } from '../wire/http.js';
import { registerSecret } from '../wire/mask.js';

export type OtpChannel = 'email' | 'phone';
export type OtpPurpose = 'verify' | 'reset';

export interface OtpRequest {
  readonly identifier: string;
  readonly channel: OtpChannel;
  readonly purpose: OtpPurpose;
}

/** What a reset mail carries instead of a code (djoser): the user's uid and a one-time token. */
export interface ResetLink {
  readonly uid: string;
  readonly token: string;
}

const POLL_MS = 100;
const POLL_ATTEMPTS = 20;

/** A six-digit code that is surely wrong: not the real one, when the real one is known. */
export function wrongCode(real: string | null): string {
  return real === '000000' ? '999999' : '000000';
}

export function expandTemplate(template: string, req: OtpRequest, origin: string): string {
  const url = template.replace(/\{(identifier|channel|purpose)\}/g, (_m, key: keyof OtpRequest) => encodeURIComponent(req[key]));
  return url.startsWith('/') ? new URL(url, origin).toString() : url;
}

/** A JSON `{"otp": "..."}` answer, or a text body holding the code. */
export function codeFromBody(text: string, json: unknown): string | null {
  if (json && typeof json === 'object' && 'otp' in json) {
    const otp = (json as { otp: unknown }).otp;
    if (typeof otp === 'string' && otp.trim()) return otp.trim();
    if (typeof otp === 'number') return String(otp);
    return null;
  }
  const match = /\b\d{4,10}\b/.exec(text);
  return match ? match[0] : null;
}

/** A JSON `{"uid": "...", "token": "..."}` answer (reset style link). */
function linkFromJson(json: unknown): ResetLink | null {
  const { uid, token } = (json ?? {}) as { uid?: unknown; token?: unknown };
  return typeof uid === 'string' && typeof token === 'string' ? { uid, token } : null;
}

/** The secret of an http source's answer: a code, or (reset style link) a uid and token, named in messages. */
interface HttpSecret<T> {
  readonly noun: string;
  readonly of: (ex: Exchange) => T | null;
}

const HTTP_CODE: HttpSecret<string> = { noun: 'code', of: (ex) => codeFromBody(ex.text, ex.json) };
const HTTP_LINK: HttpSecret<ResetLink> = { noun: 'uid and token', of: (ex) => linkFromJson(ex.json) };

async function fromHttp<T>(template: string, req: OtpRequest, client: HttpClient, origin: string, secret: HttpSecret<T>): Promise<T> {
  const url = expandTemplate(template, req, origin);
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
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new OtpUnavailable(`OTP source gave no ${secret.noun} for ${req.channel} ${req.purpose} (${last})`);
}

function fromCommand(command: string, req: OtpRequest, timeoutMs: number): Promise<string> {
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

/** The outbox line's secret: a code, else the digits in its body. */
function codeFromMessage(entry: Record<string, unknown>): string | null {
  for (const key of ['otp', 'code']) if (typeof entry[key] === 'string' || typeof entry[key] === 'number') return String(entry[key]);
  return typeof entry.body === 'string' ? codeFromBody(entry.body, undefined) : null;
}

/** The last two path segments of the first link in a text: `…/reset/<uid>/<token>`. */
export function linkFromText(text: string): ResetLink | null {
  const url = /https?:\/\/\S+|(?:^|\s)\/?[\w-]+(?:\/[\w-]+){2,}\/?/.exec(text)?.[0].trim();
  const parts = url?.replace(/[)>.,;"']+$/, '').split('/').filter(Boolean) ?? [];
  const [uid, token] = parts.slice(-2);
  return uid && token && parts.length >= 3 ? { uid, token } : null;
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
    await new Promise((r) => setTimeout(r, POLL_MS));
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
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new OtpUnavailable(`Mailpit has no message with a ${req.purpose} secret for that ${req.channel}`);
}

export interface OtpReader {
  readonly available: boolean;
  readonly description: string;
  read(req: OtpRequest): Promise<string>;
  /** The uid and token of a reset mail (reset style `link`): outbox files, Mailpit, or an http hook answering {uid, token}. */
  readLink(req: OtpRequest): Promise<ResetLink>;
}

export function otpReader(source: OtpSource | null, client: HttpClient, origin: string, timeoutMs: number): OtpReader {
  if (!source) {
    return {
      available: false,
      description: 'no OTP source configured (--otp-source)',
      read: () => Promise.reject(new OtpUnavailable('no OTP source configured (--otp-source)')),
      readLink: () => Promise.reject(new OtpUnavailable('no OTP source configured (--otp-source)')),
    };
  }
  const read = async (req: OtpRequest): Promise<string> => {
    switch (source.kind) {
      case 'fixed':
        return source.code;
      case 'http':
        return fromHttp(source.template, req, client, origin, HTTP_CODE);
      case 'command':
        return fromCommand(source.command, req, timeoutMs);
      case 'file':
        return fromFile(source.path, req, codeFromMessage);
      case 'mailpit':
        return fromMailpit(source.url, req, client, (text) => codeFromBody(text, undefined));
    }
  };
  const readLink = async (req: OtpRequest): Promise<ResetLink> => {
    switch (source.kind) {
      case 'file':
        return fromFile(source.path, req, linkFromMessage);
      case 'mailpit':
        return fromMailpit(source.url, req, client, linkFromText);
      case 'http':
        return fromHttp(source.template, req, client, origin, HTTP_LINK);
      default:
        throw new OtpUnavailable(`a ${source.kind} OTP source gives codes, not the uid and token of a reset link (use file:, mailpit:, or an http: hook answering {uid, token})`);
    }
  };
  return {
    available: true,
    description: `${source.kind} OTP source`,
    read: async (req) => registerSecret(await read(req)),
    readLink: async (req) => {
      const link = await readLink(req);
      registerSecret(link.token);
      return link;
    },
  };
}
