import { describe, test } from 'vitest';
import { REQUIREMENTS } from '../requirements/catalogue.js';
import { join } from 'node:path';
import { FAULTS, TASKLINK_FAULTS, type Fault } from '../reference/faults.js';
import { startReferenceServer } from '../reference/server.js';
import { expectOnlyTrips, HOOK_OTP_SOURCE, ROOT, runCli } from './harness.js';

function flowsOf(ids: readonly string[]): string {
  return [...new Set(ids.map((id) => REQUIREMENTS.find((r) => r.id === id)?.flow))].join(',');
}

// Each fault breaks one rule of the contract; the suite must name the requirements it declares,
// and only those: every other check of the flows run still passes.
describe.concurrent('every fault of the TaskLink reference server is caught', () => {
  test.for(TASKLINK_FAULTS)('%s', async (fault) => {
    const { trips, reach } = FAULTS[fault] as Fault;
    const server = await startReferenceServer({ hooks: true, faults: [fault], quirks: [...(reach?.quirks ?? [])] });
    try {
      const profile = reach ? ['--profile', join(ROOT, 'test', 'profiles', `${reach.profile}.json`)] : [];
      const run = await runCli(['--base-url', server.baseUrl, '--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock', ...profile, '--only', flowsOf(trips)]);
      expectOnlyTrips(run, trips);
    } finally {
      await server.close();
    }
  });
});
