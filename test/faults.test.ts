import { beforeAll, describe, test } from 'vitest';
import { REQUIREMENTS } from '../requirements/catalogue.js';
import { join } from 'node:path';
import { FAULTS, TASKLINK_FAULTS, type Fault, type FaultName } from '../reference/faults.js';
import { expectOnlyTrips, HOOK_OTP_SOURCE, ROOT, runsAgainstServers, type CliRun } from './harness.js';

function flowsOf(ids: readonly string[]): string {
  return [...new Set(ids.map((id) => REQUIREMENTS.find((r) => r.id === id)?.flow))].join(',');
}

// Each fault breaks one rule of the contract; the suite must name the requirements it declares,
// and only those: every other check of the flows run still passes. Every fault gets a run of its
// own against a server of its own; the runs share one process (test/harness.ts, runBatch).
describe('every fault of the TaskLink reference server is caught', () => {
  let runs = new Map<FaultName, CliRun>();
  beforeAll(async () => {
    runs = await runsAgainstServers(
      TASKLINK_FAULTS,
      (fault) => ({ hooks: true, faults: [fault], quirks: [...((FAULTS[fault] as Fault).reach?.quirks ?? [])] }),
      (fault, baseUrl) => {
        const { trips, reach } = FAULTS[fault] as Fault;
        const profile = reach ? ['--profile', join(ROOT, 'test', 'profiles', `${reach.profile}.json`)] : [];
        return ['--base-url', baseUrl, '--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock', ...profile, '--only', flowsOf(trips)];
      },
    );
  }, 900_000);

  test.for(TASKLINK_FAULTS)('%s', (fault) => {
    expectOnlyTrips(runs.get(fault) as CliRun, FAULTS[fault].trips);
  });
});
