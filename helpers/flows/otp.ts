/**
 * Reading the codes the server sends, through the configured OTP source (a fixed test code, an
 * HTTP hook on the target, a shell command, an outbox file, Mailpit: see otp-sources.ts). Every
 * code and reset token read is registered as a secret, so no report shows it.
 */
import { OtpUnavailable } from '../outcome.js';
import type { HttpClient } from '../wire/http.js';
import { registerSecret } from '../wire/mask.js';
import { otpSourceAdapter, type OtpSource } from './otp-sources.js';

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

/** A six-digit code that is surely wrong: not the real one, when the real one is known. */
export function wrongCode(real: string | null): string {
  return real === '000000' ? '999999' : '000000';
}

/**
 * How successive codes follow one another, or null when they look random: a constant step
 * (a counter, +1 or +k), or steps all within a thousandth of the code space (a counter shared by
 * every user, that other users' codes move on). Random codes do either once in ~200,000 runs.
 */
export function codeSequence(codes: readonly string[]): string | null {
  const space = 10 ** Math.max(...codes.map((c) => c.length));
  const steps = codes.slice(1).map((code, i) => (((Number(code) - Number(codes[i])) % space) + space) % space);
  if (steps.every((s) => s === steps[0])) return `go up by a constant step of ${steps[0]}`;
  const near = space / 1000;
  if (steps.every((s) => Math.min(s, space - s) <= near)) return `each lie within ${near} of the previous one (steps ${steps.join(', ')})`;
  return null;
}

export interface OtpReader {
  readonly available: boolean;
  readonly description: string;
  read(req: OtpRequest): Promise<string>;
  /** The uid and token of a reset mail (reset style `link`): outbox files, Mailpit, or an http hook answering {uid, token}. */
  readLink(req: OtpRequest): Promise<ResetLink>;
  /** The one token of a reset mail (reset style `token`): a `token` field, or the token of its link (query string, fragment or last path segment). */
  readToken(req: OtpRequest): Promise<string>;
}

/** `source` comes resolved against the target (resolveOtpSource): a hook URL is absolute. */
export function otpReader(source: OtpSource | null, client: HttpClient, timeoutMs: number): OtpReader {
  if (!source) {
    return {
      available: false,
      description: 'no OTP source configured (--otp-source)',
      read: () => Promise.reject(new OtpUnavailable('no OTP source configured (--otp-source)')),
      readLink: () => Promise.reject(new OtpUnavailable('no OTP source configured (--otp-source)')),
      readToken: () => Promise.reject(new OtpUnavailable('no OTP source configured (--otp-source)')),
    };
  }
  const adapter = otpSourceAdapter(source);
  const ctx = { client, timeoutMs };
  return {
    available: true,
    description: `${source.kind} OTP source`,
    read: async (req) => registerSecret(await adapter.read(source, req, ctx)),
    readLink: async (req) => {
      if (!adapter.readLink) {
        throw new OtpUnavailable(`a ${source.kind} OTP source gives codes, not the uid and token of a reset link (use file:, mailpit:, or an http: hook answering {uid, token})`);
      }
      const link = await adapter.readLink(source, req, ctx);
      registerSecret(link.token);
      return link;
    },
    readToken: async (req) => {
      if (!adapter.readToken) {
        throw new OtpUnavailable(`a ${source.kind} OTP source gives codes, not the token of a reset link (use file:, mailpit:, command:, or an http: hook answering the token or the mail)`);
      }
      return registerSecret(await adapter.readToken(source, req, ctx));
    },
  };
}
