/**
 * Profiles of other accounts APIs, proven against the reference server speaking them: a clean
 * run passes everything the profile applies (but for the suite's own limits, pinned below),
 * and every fault the dialect implements trips the requirements it declares.
 */
import { describe, expect, test } from 'vitest';
import { notApplicable } from '../helpers/applicability.js';
import { findRequirement, REQUIREMENTS, requirement, type RequirementId } from '../helpers/catalogue.js';
import { loadProfile } from '../helpers/profile.js';
import { MESSAGE_DATA_FAULTS } from '../reference/dialects/message-data.js';
import { FAULTS } from '../reference/faults.js';
import { startReferenceServer } from '../reference/server.js';
import { HOOK_OTP_SOURCE, runCli, statusesOf } from './harness.js';

const PROFILE = 'message-data';
const profile = loadProfile(PROFILE);
const HOOKS = ['--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock'];

interface Limit {
  /** The message the check fails a correct server with. */
  readonly message: RegExp;
  readonly why: string;
}

/**
 * Failures of a correct message-data server that come from the suite, not from the server.
 * They go once the suite can be told that a dialect has no password confirmation; then this
 * table is emptied and the clean run exits 0.
 */
const SPEC_LIMITS: Readonly<Partial<Record<RequirementId, Limit>>> = {};

/** Applicable requirements that a correct server still leaves unchecked, with the reason the check gives. */
const SKIPPED_WHEN_RUN: Readonly<Partial<Record<RequirementId, RegExp>>> = {
  'ACC-RACE-004': /not applicable: the target does not rotate refresh tokens/,
};

function flowsOf(ids: readonly string[]): string {
  return [...new Set(ids.map((id) => findRequirement(id)?.flow))].join(',');
}

function expectedVerdicts(ids: readonly RequirementId[]): Record<string, string> {
  return Object.fromEntries(ids.map((id) => [id, requirement(id).level === 'MUST' ? 'failed' : 'warning']));
}

describe('the message-data profile (seed 002) against the reference server speaking it', () => {
  test('--list --profile message-data exits 0 and marks what does not apply', async () => {
    const run = await runCli(['--list', '--profile', PROFILE]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ACC-WAL-001 .*\(not applicable: the message-data profile has no wallet operation\)/);
    expect(run.stdout).toMatch(/ACC-LOG-002 .*\[seed-000 §2\. Login\]\n/);
  });

  test('a clean run passes every applicable requirement but the pinned limits of the suite', async () => {
    const server = await startReferenceServer({ dialect: 'message-data', hooks: true });
    try {
      const run = await runCli(['--base-url', server.baseUrl, '--profile', PROFILE, ...HOOKS]);
      const summary = run.summary();
      expect(summary.target.profile).toBe(PROFILE);
      expect(summary.results).toHaveLength(REQUIREMENTS.length);
      const findings = Object.fromEntries(summary.results.filter((r) => r.status === 'failed' || r.status === 'warning').map((r) => [r.id, r.status]));
      expect(findings, run.stdout).toEqual(Object.fromEntries(Object.keys(SPEC_LIMITS).map((id) => [id, 'failed'])));
      expect(run.code).toBe(Object.keys(SPEC_LIMITS).length ? 1 : 0);
      for (const r of summary.results) {
        const inapplicable = notApplicable(requirement(r.id as RequirementId), profile);
        const limit = SPEC_LIMITS[r.id as RequirementId];
        const skippedWhenRun = SKIPPED_WHEN_RUN[r.id as RequirementId];
        if (inapplicable) expect(r.message, r.id).toBe(`not applicable: ${inapplicable}`);
        else if (limit) expect(r.message, r.id).toMatch(limit.message);
        else if (skippedWhenRun) expect(r.message, r.id).toMatch(skippedWhenRun);
        else expect(r.status, `${r.id}: ${r.message}`).toBe('passed');
      }
    } finally {
      await server.close();
    }
  });

  test('every fault the dialect implements trips only requirements the profile applies', () => {
    for (const fault of MESSAGE_DATA_FAULTS) {
      for (const id of FAULTS[fault].trips) expect(notApplicable(requirement(id), profile), `${fault} → ${id}`).toBeNull();
    }
  });

  test('a fault the dialect does not implement is refused, not silently ignored', async () => {
    await expect(startReferenceServer({ dialect: 'message-data', faults: ['otp-reusable'] })).rejects.toThrow("the message-data dialect has no fault 'otp-reusable'");
  });
});

// Each fault breaks one rule; the suite must name the requirements it declares.
describe.concurrent('every fault of the message-data dialect is caught through the message-data profile', () => {
  test.for(MESSAGE_DATA_FAULTS)('%s', async (fault) => {
    const { trips } = FAULTS[fault];
    const server = await startReferenceServer({ dialect: 'message-data', hooks: true, faults: [fault] });
    try {
      const run = await runCli(['--base-url', server.baseUrl, '--profile', PROFILE, ...HOOKS, '--only', flowsOf(trips)]);
      const summary = run.summary();
      const statuses = statusesOf(summary);
      const expected = expectedVerdicts(trips);
      expect(Object.fromEntries(trips.map((id) => [id, statuses[id]])), run.stdout).toEqual(expected);
      expect(run.code).toBe(Object.values(expected).includes('failed') ? 1 : 0);
      // A declared id that a clean server already fails (a limit of the suite) must fail here for the fault's own reason.
      for (const id of trips) {
        const limit = SPEC_LIMITS[id];
        if (limit) expect(summary.results.find((r) => r.id === id)?.message, `${id} is caught by the fault, not by the limit of the suite`).not.toMatch(limit.message);
      }
    } finally {
      await server.close();
    }
  });
});
