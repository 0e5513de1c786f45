/**
 * The per-worker runtime of a conformance run: settings handed over by the CLI through vitest's
 * `provide`, one keep-alive HTTP client, the target profile, the Api and the OTP reader.
 */
import { inject } from 'vitest';
import { Api } from './api.js';
import { Checks } from './checks.js';
import type { OtpSource } from './config.js';
import { HttpClient } from './http.js';
import { otpReader, type OtpReader } from './otp.js';
import { loadProfile, type TargetProfile } from './profile.js';

export interface RunSettings {
  readonly baseUrl: string;
  readonly otpSource: OtpSource | null;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly seed: number;
  readonly strict: boolean;
  readonly profile: string;
  /** Unique per run: keeps identifiers unique on a target that keeps its data between runs. */
  readonly runId: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    accounts: RunSettings;
  }
}

export interface Runtime {
  readonly settings: RunSettings;
  readonly client: HttpClient;
  readonly profile: TargetProfile;
  readonly api: Api;
  readonly checks: Checks;
  readonly otp: OtpReader;
}

let current: Runtime | null = null;

export function runtime(): Runtime {
  if (current) return current;
  const settings = inject('accounts');
  if (!settings) throw new Error('specs run through the accounts-conformance CLI (npm run conformance), not bare vitest');
  const client = new HttpClient({ timeoutMs: settings.timeoutMs, maxBodyBytes: settings.maxBodyBytes });
  const profile = loadProfile(settings.profile);
  const api = new Api(client, profile, settings.baseUrl);
  const otp = otpReader(settings.otpSource, client, api.origin, settings.timeoutMs);
  current = { settings, client, profile, api, checks: new Checks(profile), otp };
  return current;
}
