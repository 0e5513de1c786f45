/**
 * The per-worker runtime of a conformance run: settings handed over by the CLI through vitest's
 * `provide`, one keep-alive HTTP client, the target profile, the Api and the OTP reader.
 */
import { ClockUnavailable } from '../outcome.js';
import { inject } from 'vitest';
import { Api } from '../wire/api.js';
import { jsonBody } from '../wire/bodies.js';
import { Checks } from '../checks.js';
import { HttpClient } from '../wire/http.js';
import { otpReader, type OtpReader } from '../flows/otp.js';
import type { TargetProfile } from '../wire/profile.js';
import type { OtpSource } from '../flows/otp-sources.js';
import { provisioner, type Provisioner } from '../flows/provision.js';
import type { ProvisionSource } from '../flows/provision-source.js';

export interface RunSettings {
  readonly baseUrl: string;
  /** The OTP source; an http hook's template is absolute. */
  readonly otpSource: OtpSource | null;
  /** How users are made on an API without registration (an http source's URL is absolute), or null. */
  readonly provision: ProvisionSource | null;
  /** Absolute URL of the target's clock hook, or null. */
  readonly clockHook: string | null;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** Most requests in flight in this worker: its share of --concurrency. */
  readonly concurrency: number;
  readonly seed: number;
  readonly strict: boolean;
  /** The target profile, loaded and validated by the CLI (extends resolved, defaults filled in). */
  readonly profile: TargetProfile;
  /** Where the reports go: workers leave their exchanges there for exchanges.har. */
  readonly reportDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The settings of the run: one target, one profile. */
    accounts: RunSettings;
    /** A batch of runs in one vitest run (cli/batch.ts): each run's settings by its id. */
    accountsRuns: Readonly<Record<string, RunSettings>>;
  }
}

export interface Clock {
  readonly available: boolean;
  /** Moves the target's clock forward (back, by a negative number: the nbf check goes back and returns). */
  advance(seconds: number): Promise<void>;
}

function clockHook(client: HttpClient, url: string | null): Clock {
  return {
    available: url !== null,
    advance: async (seconds) => {
      if (!url) throw new ClockUnavailable('no clock hook configured (--clock-hook)');
      const ex = await client.send('POST', url, { body: jsonBody({ advance_seconds: Math.ceil(seconds) }), retryOnRateLimit: false });
      if (ex.status === null || ex.status >= 300) throw new ClockUnavailable(`the clock hook answered ${ex.status ?? ex.failure}`);
    },
  };
}

export interface Runtime {
  readonly settings: RunSettings;
  readonly client: HttpClient;
  readonly profile: TargetProfile;
  readonly api: Api;
  readonly checks: Checks;
  readonly otp: OtpReader;
  readonly clock: Clock;
  /** Makes a user on an API without registration; null when no --provision source is given. */
  readonly provision: Provisioner | null;
}

/** Each run's runtime in this worker, by run id ('' for the one run of an ordinary CLI run). */
const runtimes = new Map<string, Runtime>();
let bound = '';

/**
 * In a batch, the spec file about to be loaded belongs to run `id` (its wrapper says so before
 * importing it): the checks it declares are bound to that run's target when declared.
 */
export function bindRun(id: string): void {
  bound = id;
}

/** The run whose spec file is being loaded ('' outside a batch). */
export function boundRun(): string {
  return bound;
}

function settingsOf(id: string): RunSettings | undefined {
  return id === '' ? inject('accounts') : inject('accountsRuns')?.[id];
}

export function runtime(id = ''): Runtime {
  const known = runtimes.get(id);
  if (known) return known;
  const settings = settingsOf(id);
  if (!settings) throw new Error('specs run through the accounts-conformance CLI (npm run conformance), not bare vitest');
  const client = new HttpClient({ timeoutMs: settings.timeoutMs, maxBodyBytes: settings.maxBodyBytes, concurrency: settings.concurrency });
  const { profile } = settings;
  const api = new Api(client, profile, settings.baseUrl);
  const otp = otpReader(settings.otpSource, client, settings.timeoutMs);
  const provision = provisioner(settings.provision, client, settings.timeoutMs);
  const made: Runtime = { settings, client, profile, api, checks: new Checks(profile), otp, clock: clockHook(client, settings.clockHook), provision };
  runtimes.set(id, made);
  return made;
}
