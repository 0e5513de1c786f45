/**
 * OTP sources: how the suite reads the codes the server sends. Pluggable so that a fixed test
 * code, an HTTP hook on the target or a shell command can each stand in for an inbox.
 */
import { execFile } from 'node:child_process';
import { childEnvironment, type OtpSource } from './config.js';
import type { HttpClient } from './http.js';
import { registerSecret } from './mask.js';

export type OtpChannel = 'email' | 'phone';
export type OtpPurpose = 'verify' | 'reset';

export interface OtpRequest {
  readonly identifier: string;
  readonly channel: OtpChannel;
  readonly purpose: OtpPurpose;
}

export class OtpUnavailable extends Error {
  override readonly name = 'OtpUnavailable';
}

const POLL_MS = 100;
const POLL_ATTEMPTS = 20;

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

async function fromHttp(template: string, req: OtpRequest, client: HttpClient, origin: string): Promise<string> {
  const url = expandTemplate(template, req, origin);
  let last = '';
  // The code may arrive a moment after send-otp answers (a queue, a mail worker): poll briefly.
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const ex = await client.send('GET', url, { retryOnRateLimit: false });
    if (ex.status === 200) {
      const code = codeFromBody(ex.text, ex.json);
      if (code) return code;
      throw new OtpUnavailable(`OTP source answered 200 without a code for ${req.channel} ${req.purpose}`);
    }
    last = ex.status === null ? (ex.failure ?? 'no response') : `HTTP ${ex.status}`;
    if (ex.status !== 404) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new OtpUnavailable(`OTP source gave no code for ${req.channel} ${req.purpose} (${last})`);
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

export interface OtpReader {
  readonly available: boolean;
  readonly description: string;
  read(req: OtpRequest): Promise<string>;
}

export function otpReader(source: OtpSource | null, client: HttpClient, origin: string, timeoutMs: number): OtpReader {
  if (!source) {
    return {
      available: false,
      description: 'no OTP source configured (--otp-source)',
      read: () => Promise.reject(new OtpUnavailable('no OTP source configured (--otp-source)')),
    };
  }
  const read = async (req: OtpRequest): Promise<string> => {
    switch (source.kind) {
      case 'fixed':
        return source.code;
      case 'http':
        return fromHttp(source.template, req, client, origin);
      case 'command':
        return fromCommand(source.command, req, timeoutMs);
    }
  };
  return {
    available: true,
    description: `${source.kind} OTP source`,
    read: async (req) => registerSecret(await read(req)),
  };
}
