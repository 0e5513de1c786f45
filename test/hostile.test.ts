/**
 * Whatever the target does, the suite ends in bounded time with a clear verdict and its reports
 * written. Each test points the CLI at a deliberately hostile server (test/hostile-server.ts) and
 * checks: exit 1, every report written, every requirement of the selected flows accounted for and
 * none passed, and failure messages that name what happened, without a stack trace.
 * (An unreachable target at start is covered by test/cli.test.ts.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type ExpectStatic } from 'vitest';
import { REQUIREMENTS, type Flow } from '../requirements/catalogue.js';
import { startReferenceServer } from '../reference/server.js';
import type { Result } from '../cli/verdicts.js';
import type { Summary } from '../cli/reports.js';
import { HOOK_OTP_SOURCE, runCli, type CliRun } from './harness.js';
import { HOSTILE_MODES, startHostileServer, startRelay, type HostileMode } from './hostile-server.js';

const FLOWS: readonly Flow[] = ['envelope', 'register', 'login'];
const REPORT_FILES = ['summary.json', 'junit.xml', 'report.html', join('html', 'index.html')];
const RUN_LIMIT_MS = 60_000;
const TEST_TIMEOUT_MS = 90_000;
/** The child is killed past this, so a hung run fails the assertions instead of the test timeout. */
const KILL_AFTER_MS = 80_000;

/** What the failure messages must name, per mode. */
const NAMES_WHAT_HAPPENED: Record<HostileMode, RegExp> = {
  'html-500': /server error 500/,
  'invalid-json': /not valid JSON/,
  'never-answers': /timeout|circuit breaker/,
  'destroy-mid-response': /closed|reset|cut off|circuit breaker/,
  'huge-body': /larger than the \d+-byte limit/,
  trickle: /timeout|circuit breaker/,
  'redirect-loop': /redirect/,
  'close-no-response': /closed|reset|cut off|circuit breaker/,
};

/** A stack frame or a Node internal: never part of a verdict. */
const STACK_TRACE = /^\s+at (?:async )?(?:.+ \()?\S+:\d+:\d+\)?$|node:internal/m;

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** One line that says how the run went: put into every assertion message. */
function describeRun(run: CliRun, summary: Summary | null): string {
  const failed = summary?.results.find((r) => r.status === 'failed');
  return [
    `exit ${run.code} after ${run.durationMs} ms`,
    summary ? `${summary.passed} passed, ${summary.failed} failed, ${summary.warnings} warnings, ${summary.skipped} skipped` : 'no summary.json',
    failed ? `first failure ${failed.id}: ${firstLine(failed.message)}` : 'no failed result',
    summary?.problems.length ? `problems: ${summary.problems.map(firstLine).join(' | ')}` : '',
    run.stderr.trim() ? `stderr: ${firstLine(run.stderr.trim())}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function readSummary(run: CliRun): Summary | null {
  try {
    return run.summary();
  } catch {
    return null;
  }
}

/** The checks common to every hostile run; soft, so one report shows every broken property. */
function expectCleanVerdict(expect: ExpectStatic, run: CliRun, flows: readonly Flow[]): Summary | null {
  const summary = readSummary(run);
  const context = describeRun(run, summary);
  expect.soft(run.code, context).toBe(1);
  for (const file of REPORT_FILES) expect.soft(existsSync(join(run.reportDir, file)), `${file} written; ${context}`).toBe(true);
  if (!summary) return null;

  expect.soft(summary.exitCode, context).toBe(1);
  expect.soft(summary.results.map((r) => r.id), `every requirement of ${flows.join(', ')} has a result; ${context}`).toEqual(
    REQUIREMENTS.filter((r) => flows.includes(r.flow)).map((r) => r.id),
  );
  expect.soft(summary.results.filter((r) => r.status === 'passed').map((r) => r.id), `nothing passes; ${context}`).toEqual([]);
  expect.soft(summary.failed, `some check fails; ${context}`).toBeGreaterThan(0);

  for (const r of summary.results.filter((x) => x.status !== 'passed')) {
    expect.soft(r.message, `${r.id} (${r.status}) message has no stack trace`).not.toMatch(STACK_TRACE);
  }
  for (const r of failedResults(summary)) {
    const head = firstLine(r.message).trim();
    expect.soft(head.length, `${r.id} message starts with a line saying what happened: ${JSON.stringify(head)}`).toBeGreaterThan(10);
    expect.soft(head, `${r.id} first line is not a bare error name`).not.toMatch(/^(Error|TypeError|AssertionError|failed)\b:?$/);
  }
  for (const problem of summary.problems) expect.soft(problem, 'a run problem has no stack trace').not.toMatch(STACK_TRACE);
  return summary;
}

function failedResults(summary: Summary): Result[] {
  return summary.results.filter((r) => r.status === 'failed');
}

/**
 * Modes whose server never completes an answer: the per-request timeout (1 s) is what bounds
 * their runs. The others answer, or close, at once; they get 5 s, so that on two cores busy with
 * the other hostile runs' start-ups no request of theirs times out before its answer arrives
 * ("timeout" is a correct verdict there, but not the one the test exists to prove: one CI run
 * saw three of invalid-json's checks time out at 1 s).
 */
const HANGS: readonly HostileMode[] = ['never-answers', 'trickle'];

/** One hostile run: the CLI against a server in `mode`, and every property the issue asks for. */
async function hostileRun(expect: ExpectStatic, mode: HostileMode): Promise<void> {
  const server = await startHostileServer(mode);
  try {
    const timeout = mode === 'huge-body' ? '15000' : HANGS.includes(mode) ? '1000' : '5000';
    const run = await runCli(['--base-url', server.baseUrl, '--timeout', timeout, '--only', FLOWS.join(',')], { timeoutMs: KILL_AFTER_MS });
    const summary = expectCleanVerdict(expect, run, FLOWS);
    const context = describeRun(run, summary);
    expect.soft(run.durationMs, `run.durationMs; ${context}`).toBeLessThan(RUN_LIMIT_MS);
    if (summary) {
      const unnamed = failedResults(summary)
        .filter((r) => !NAMES_WHAT_HAPPENED[mode].test(r.message))
        .map((r) => `${r.id}: ${firstLine(r.message)}`);
      expect.soft(unnamed, `failed messages that do not name what happened (${NAMES_WHAT_HAPPENED[mode]}); ${context}`).toEqual([]);
    }
  } finally {
    await server.close();
  }
}

const title = (mode: HostileMode): string =>
  `${mode}: failed checks naming ${NAMES_WHAT_HAPPENED[mode].source}, exit 1, complete reports, in under ${RUN_LIMIT_MS / 1000} s`;

/**
 * huge-body runs alone (below) and with a 15 s per-request timeout: reading 5 MiB is CPU-bound,
 * and on two busy cores (CI runs other test files beside this one) some reads would time out
 * first. That is a correct verdict ("timeout"), but not the one this test exists to prove (the
 * body cap).
 */
const ALONE: readonly HostileMode[] = ['huge-body'];

describe.concurrent('the suite against a hostile server: bounded time, a clear verdict, every report', () => {
  for (const mode of HOSTILE_MODES.filter((m) => !ALONE.includes(m))) {
    test(title(mode), ({ expect }) => hostileRun(expect, mode), TEST_TIMEOUT_MS);
  }
});

describe('the suite against a hostile server, alone on the machine', () => {
  for (const mode of ALONE) test(title(mode), ({ expect }) => hostileRun(expect, mode), TEST_TIMEOUT_MS);
});

/**
 * Requests the target serves before it dies: into the run (a clean full run makes several
 * hundred), yet early enough that many checks still have requests to send. Dying after 150, late
 * in some orderings, left too few: the checks behind the failed setups were skipped without a
 * request, and the breaker, rightly, never opened.
 */
const DIE_AFTER_REQUESTS = 60;

describe('the suite against a target that dies mid-run', () => {
  test(
    'a target that dies mid-run: the circuit breaker stops the remaining checks quickly, exit 1, complete reports',
    async ({ expect }) => {
      const server = await startReferenceServer({ hooks: true });
      // The CLI talks to the reference server through a relay, so the target can die at a known
      // point of the run: after DIE_AFTER_REQUESTS requests, not at a guessed time (at 1 s, and
      // even at 2.5 s, no spec has sent a request yet: that would be a target dead at start).
      const relay = await startRelay(server.baseUrl);
      try {
        const running = runCli(['--base-url', relay.baseUrl, '--otp-source', HOOK_OTP_SOURCE, '--timeout', '1000'], { timeoutMs: 60_000 });
        const started = Date.now();
        let diedAfterMs = -1;
        const death = relay.waitForRequests(DIE_AFTER_REQUESTS, 30_000).then(async () => {
          diedAfterMs = Date.now() - started;
          await Promise.all([relay.close(), server.close()]);
        });
        const run = await running;
        await death;
        const summary = readSummary(run);
        const context = `died after ${diedAfterMs} ms, ${relay.requests} requests; ${describeRun(run, summary)}`;
        expect.soft(run.code, context).toBe(1);
        for (const file of REPORT_FILES) expect.soft(existsSync(join(run.reportDir, file)), `${file} written; ${context}`).toBe(true);
        expect.soft(run.durationMs, `run.durationMs; ${context}`).toBeLessThan(30_000);
        expect.soft(diedAfterMs, `the target died during the run, not after it; ${context}`).toBeLessThan(run.durationMs);
        expect.soft(run.durationMs - diedAfterMs, `the run ends quickly once the target is dead; ${context}`).toBeLessThan(10_000);
        if (summary) {
          expect.soft(summary.passed, `checks passed before the target died (so it died mid-run); ${context}`).toBeGreaterThan(0);
          expect.soft(summary.results.map((r) => r.id), context).toEqual(REQUIREMENTS.map((r) => r.id));
          // Where the breaker shows depends on when the target died: in a failure, in a run
          // problem, or in the reason of a check skipped behind it (inconclusive, setup failed).
          const said = [...summary.problems, ...summary.results.filter((r) => r.status !== 'passed').map((r) => r.message)];
          expect.soft(said.some((m) => /circuit breaker/.test(m)), `the problems, a failed or a skipped message name the circuit breaker; ${context}`).toBe(true);
          for (const m of said) expect.soft(m, 'no stack trace').not.toMatch(STACK_TRACE);
        }
      } finally {
        await relay.close();
        await server.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
