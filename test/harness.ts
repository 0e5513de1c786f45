/** Runs the accounts-conformance CLI as a user would, in a child process, and reads its reports. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Summary } from '../cli/reports.js';
import { notApplicable, unsentSubject } from '../requirements/applicability.js';
import { findRequirement, requirement, type RequirementId } from '../requirements/catalogue.js';
import { loadProfile } from '../helpers/wire/profile.js';
import { startReferenceServer, type ReferenceOptions } from '../reference/server.js';

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

/** The arguments of a run with its report directory: a kept one, the one given, or a new temporary one. */
function withReportDir(args: readonly string[], keep?: string): { fullArgs: string[]; reportDir: string } {
  const kept = keep ? join(KEPT_RUNS, keep) : null;
  if (kept) rmSync(kept, { recursive: true, force: true });
  // The compare and matrix subcommands read report directories; they make no run of their own.
  const subcommand = args[0] === 'compare' || args[0] === 'matrix';
  const reportDir = subcommand || args.includes('--report-dir') ? '' : (kept ?? mkdtempSync(join(tmpdir(), 'acc-report-')));
  const fullArgs = reportDir ? [...args, '--report-dir', reportDir] : [...args];
  return { fullArgs, reportDir: reportDir || (fullArgs[fullArgs.indexOf('--report-dir') + 1] as string) };
}

function cliRun(code: number | null, stdout: string, stderr: string, reportDir: string, durationMs: number): CliRun {
  return {
    code,
    stdout,
    stderr,
    reportDir,
    durationMs,
    summary: () => {
      const file = join(reportDir, 'summary.json');
      if (!existsSync(file)) throw new Error(`no summary.json written; stdout:\n${stdout}\nstderr:\n${stderr}`);
      return JSON.parse(readFileSync(file, 'utf8')) as Summary;
    },
  };
}

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

function spawnNode(args: readonly string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs: number }): Promise<Spawned> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: cleanEnvironment(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

export async function runCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; keep?: string } = {}): Promise<CliRun> {
  const { fullArgs, reportDir } = withReportDir(args, options.keep);
  const run = await spawnNode([BIN, ...fullArgs], { ...options, timeoutMs: options.timeoutMs ?? 110_000 });
  return cliRun(run.code, run.stdout, run.stderr, reportDir, run.durationMs);
}

/**
 * Makes many runs, each given as the CLI's arguments, in one process and one vitest run
 * (cli/batch.ts): the self-tests' fault runs share one start-up instead of paying one each. Each
 * run has its own report directory, exit code and console lines, as from runCli; durationMs is
 * the whole batch's. Its runs' spec files wait on their targets most of the time: 8 workers keep
 * the 2 cores busy (6: 87 s for the 159 TaskLink faults, 10: 71 s, 16: no faster; ~150 MiB each).
 */
export async function runBatch(jobs: readonly (readonly string[])[], options: { timeoutMs?: number; workers?: number } = {}): Promise<CliRun[]> {
  const prepared = jobs.map((args) => withReportDir(args));
  const dir = mkdtempSync(join(tmpdir(), 'acc-batch-jobs-'));
  const jobsFile = join(dir, 'jobs.json');
  const resultsFile = join(dir, 'results.json');
  const workers = options.workers ?? 8;
  writeFileSync(jobsFile, JSON.stringify({ jobs: prepared.map((p) => p.fullArgs), workers }));
  try {
    const batch = await spawnNode(['--import', 'tsx', join(ROOT, 'test', 'batch-child.ts'), jobsFile, resultsFile], { timeoutMs: options.timeoutMs ?? 600_000 });
    if (batch.code !== 0 || !existsSync(resultsFile)) throw new Error(`the batch process ended with ${batch.code}:\n${batch.stdout}\n${batch.stderr}`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { code: number; stdout: string; stderr: string }[];
    return results.map((r, i) => cliRun(r.code, r.stdout, r.stderr, (prepared[i] as { reportDir: string }).reportDir, batch.durationMs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One reference server per case (a fault, say), and every case's run against its own server in
 * one batch; the servers are closed when the batch ends. The runs by case.
 */
export async function runsAgainstServers<T>(cases: readonly T[], server: (c: T) => ReferenceOptions, args: (c: T, baseUrl: string) => string[]): Promise<Map<T, CliRun>> {
  const servers = await Promise.all(cases.map((c) => startReferenceServer(server(c))));
  try {
    const runs = await runBatch(cases.map((c, i) => args(c, (servers[i] as { baseUrl: string }).baseUrl)));
    return new Map(cases.map((c, i) => [c, runs[i] as CliRun]));
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
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
