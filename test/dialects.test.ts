/**
 * Profiles of other accounts APIs, proven against the reference server speaking them: a clean
 * run passes everything the profile applies, and every fault the dialect implements trips the
 * requirements it declares, through that profile.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { notApplicable } from '../requirements/applicability.js';
import { findRequirement, REQUIREMENTS, requirement, type RequirementId } from '../requirements/catalogue.js';
import { loadProfile } from '../helpers/wire/profile.js';
import { FLUTTER_AUTH_FAULTS } from '../reference/dialects/flutter-auth.js';
import { MESSAGE_DATA_FAULTS } from '../reference/dialects/message-data.js';
import { UNIVERSITY_FAULTS } from '../reference/dialects/university.js';
import { FAULTS, type FaultName } from '../reference/faults.js';
import { startReferenceServer, type DialectName } from '../reference/server.js';
import { expectHonest, expectOnlyTrips, HOOK_OTP_SOURCE, runCli, runsAgainstServers, type CliRun } from './harness.js';

const HOOKS = ['--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock'];

interface DialectCase {
  readonly dialect: DialectName;
  /** The shipped profile that describes the dialect (same name). */
  readonly profile: string;
  readonly faults: readonly FaultName[];
  /** Flags beyond the hooks: seed 001 has no registration, its users are provisioned. */
  readonly flags: readonly string[];
  /** Applicable requirements that a correct server still leaves unchecked, with the reason the check gives. */
  readonly skippedWhenRun: Readonly<Partial<Record<RequirementId, RegExp>>>;
  /** A fault the dialect does not implement. */
  readonly foreignFault: FaultName;
  /** A check of --list: an id the profile marks not applicable, with the reason. */
  readonly listed: RegExp;
}

const NO_ROTATION = /not applicable: the target does not rotate refresh tokens/;

const CASES: readonly DialectCase[] = [
  {
    dialect: 'message-data',
    profile: 'message-data',
    faults: MESSAGE_DATA_FAULTS,
    flags: [],
    skippedWhenRun: { 'ACC-RACE-004': NO_ROTATION },
    foreignFault: 'otp-reusable',
    listed: /ACC-WAL-001 .*\(not applicable: the message-data profile has no wallet operation\)/,
  },
  {
    dialect: 'university',
    profile: 'university',
    faults: UNIVERSITY_FAULTS,
    flags: ['--provision', 'http:/__conformance__/users'],
    skippedWhenRun: { 'ACC-RACE-004': NO_ROTATION },
    foreignFault: 'otp-reusable',
    listed: /ACC-LOG-002 .*\(not applicable: the university profile logs in by username\)/,
  },
  {
    dialect: 'flutter-auth',
    profile: 'flutter-auth',
    faults: FLUTTER_AUTH_FAULTS,
    flags: [],
    skippedWhenRun: {},
    foreignFault: 'wallet-without-token',
    listed: /ACC-OTP-004 .*\(not applicable: the flutter-auth profile uses codes to sign in by phone, not to verify a signed-in user\)/,
  },
];

function flowsOf(ids: readonly string[]): string {
  return [...new Set(ids.map((id) => findRequirement(id)?.flow))].join(',');
}

// Every fault of every dialect gets a run of its own against a server of its own; the runs are
// made in one batch process (runBatch), one start-up for all of them.
let faultRuns = new Map<string, CliRun>();
beforeAll(async () => {
  const cases = CASES.flatMap((c) => c.faults.map((fault) => ({ c, fault })));
  const runs = await runsAgainstServers(
    cases,
    ({ c, fault }) => ({ dialect: c.dialect, hooks: true, faults: [fault] }),
    ({ c, fault }, baseUrl) => ['--base-url', baseUrl, '--profile', c.profile, ...HOOKS, ...c.flags, '--only', flowsOf(FAULTS[fault].trips)],
  );
  faultRuns = new Map([...runs].map(([{ c, fault }, run]) => [`${c.dialect}/${fault}`, run]));
}, 900_000);

for (const c of CASES) {
  const profile = loadProfile(c.profile);
  const facts = { provisioning: c.flags.includes('--provision') };

  describe(`the ${c.profile} profile against the reference server speaking it`, () => {
    test(`--list --profile ${c.profile} exits 0 and marks what does not apply`, async () => {
      const run = await runCli(['--list', '--profile', c.profile, ...c.flags]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(c.listed);
    });

    test('a clean run passes every applicable requirement', async () => {
      const server = await startReferenceServer({ dialect: c.dialect, hooks: true });
      try {
        const run = await runCli(['--base-url', server.baseUrl, '--profile', c.profile, ...HOOKS, ...c.flags], { keep: `reference-${c.profile}` });
        const summary = run.summary();
        expect(summary.target.profile).toBe(c.profile);
        expect(summary.results).toHaveLength(REQUIREMENTS.length);
        const findings = Object.fromEntries(summary.results.filter((r) => r.status === 'failed' || r.status === 'warning').map((r) => [r.id, r.message]));
        expect(findings, run.stdout).toEqual({});
        expect(run.code).toBe(0);
        expectHonest(summary);
        for (const r of summary.results) {
          const inapplicable = notApplicable(requirement(r.id as RequirementId), profile, facts);
          const skippedWhenRun = c.skippedWhenRun[r.id as RequirementId];
          if (inapplicable) expect(r.message, r.id).toBe(`not applicable: ${inapplicable}`);
          else if (skippedWhenRun) expect(r.message, r.id).toMatch(skippedWhenRun);
          else expect(r.status, `${r.id}: ${r.message}`).toBe('passed');
        }
      } finally {
        await server.close();
      }
    });

    test('every fault the dialect implements trips only requirements the profile applies', () => {
      for (const fault of c.faults) {
        for (const id of FAULTS[fault].trips) expect(notApplicable(requirement(id), profile, facts), `${fault} → ${id}`).toBeNull();
      }
    });

    test('a fault the dialect does not implement is refused, not silently ignored', async () => {
      await expect(startReferenceServer({ dialect: c.dialect, faults: [c.foreignFault] })).rejects.toThrow(`the ${c.dialect} dialect has no fault '${c.foreignFault}'`);
    });
  });

  // Each fault breaks one rule; the suite must name the requirements it declares.
  describe(`every fault of the ${c.dialect} dialect is caught through the ${c.profile} profile`, () => {
    test.for(c.faults)('%s', (fault) => {
      expectOnlyTrips(faultRuns.get(`${c.dialect}/${fault}`) as CliRun, FAULTS[fault].trips);
    });
  });
}
