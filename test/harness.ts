/** Runs the accounts-conformance CLI as a user would, in a child process, and reads its reports. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Summary } from '../cli/reports.js';
import { notApplicable, unsentSubject } from '../requirements/applicability.js';
import { findRequirement, requirement, type RequirementId } from '../requirements/catalogue.js';
import { loadProfile } from '../helpers/wire/profile.js';

export const ROOT = join(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin', 'accounts-conformance.js');
export const HOOK_OTP_SOURCE = 'http:/__conformance__/otp?identifier={identifier}&channel={channel}&purpose={purpose}';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly reportDir: string;
  readonly durationMs: number;
  summary(): Summary;
}

/** The child must not believe it runs inside this vitest. */
export function cleanEnvironment(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Nor inside GitHub Actions: a self-test's run must not annotate CI's own job.
    if (v === undefined || k.startsWith('VITEST') || k === 'TEST' || k === 'NODE_ENV' || k.startsWith('ACCOUNTS_') || k.startsWith('GITHUB_')) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Where runs kept for the CI matrix leave their reports (`keep`); .ci/run builds the matrix from them. */
export const KEPT_RUNS = join(ROOT, 'reports', 'self-test', 'runs');

export function runCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; keep?: string } = {}): Promise<CliRun> {
  const kept = options.keep ? join(KEPT_RUNS, options.keep) : null;
  if (kept) rmSync(kept, { recursive: true, force: true });
  // The compare and matrix subcommands read report directories; they make no run of their own.
  const subcommand = args[0] === 'compare' || args[0] === 'matrix';
  const reportDir = subcommand || args.includes('--report-dir') ? '' : (kept ?? mkdtempSync(join(tmpdir(), 'acc-report-')));
  const fullArgs = reportDir ? [...args, '--report-dir', reportDir] : [...args];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...fullArgs], { cwd: options.cwd ?? ROOT, env: cleanEnvironment(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 110_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const dir = reportDir || (fullArgs[fullArgs.indexOf('--report-dir') + 1] as string);
      resolve({
        code,
        stdout,
        stderr,
        reportDir: dir,
        durationMs: Date.now() - started,
        summary: () => {
          const file = join(dir, 'summary.json');
          if (!existsSync(file)) throw new Error(`no summary.json written; stdout:\n${stdout}\nstderr:\n${stderr}`);
          return JSON.parse(readFileSync(file, 'utf8')) as Summary;
        },
      });
    });
  });
}

export function statusesOf(summary: Summary): Record<string, string> {
  return Object.fromEntries(summary.results.map((r) => [r.id, r.status]));
}

/**
 * Why a requirement does not apply to a shipped profile (a seed-000 run skips the checks of other
 * dialects' endpoints: logout, sign-in codes, reset tokens), or null when it applies.
 */
export function inapplicable(profile: string, id: string): string | null {
  return notApplicable(requirement(id as RequirementId), loadProfile(profile));
}

/**
 * What every run must show, whatever it found: every passed check made requests and sent its
 * subject (the request fields its needs name, as mapped; none it is about the absence of), no
 * check crashed the suite, and every skip says its kind.
 */
export function expectHonest(summary: Summary): void {
  for (const r of summary.results) {
    expect(r.status, `${r.id}: ${r.message}`).not.toBe('error');
    if (r.status === 'passed') {
      expect(unsentSubject(findRequirement(r.id)?.needs ?? {}, r.probes ?? []), `${r.id} passed`).toEqual([]);
      expect(r.probes?.length ?? 0, `${r.id} passed without a request`).toBeGreaterThan(0);
    }
    if (r.status === 'skipped') expect(r.skip?.kind, `${r.id}: ${r.message}`).toBeDefined();
  }
}

/**
 * A fault breaks one rule: the requirements it declares fail (MUST) or warn (SHOULD), and every
 * other check of the flows run passes, or is skipped for a reason that is not the fault's doing
 * to hide (not applicable, no code source, no clock, or a setup step the fault itself breaks).
 */
export function expectOnlyTrips(run: CliRun, trips: readonly string[]): void {
  const summary = run.summary();
  const statuses = statusesOf(summary);
  // The level the profile gives (a seed-000-only MUST is a SHOULD under another contract).
  const levels = Object.fromEntries(summary.results.map((r) => [r.id, r.level]));
  const expected = Object.fromEntries(trips.map((id) => [id, (levels[id] ?? requirement(id as RequirementId).level) === 'MUST' ? 'failed' : 'warning']));
  expect(Object.fromEntries(trips.map((id) => [id, statuses[id]])), run.stdout).toEqual(expected);
  const others = summary.results.filter((r) => !trips.includes(r.id));
  const wrong = others.filter((r) => {
    if (r.status === 'passed') return false;
    if (r.status !== 'skipped') return true;
    return r.skip?.kind === 'setup-failed' ? !trips.includes(r.skip.prerequisite ?? '') : r.skip?.kind === 'inconclusive';
  });
  expect(wrong.map((r) => `${r.id} ${r.status}: ${r.message.split('\n')[0]}`), run.stdout).toEqual([]);
  expect(run.code).toBe(Object.values(expected).includes('failed') ? 1 : 0);
}
