import { describe, expect, test } from 'vitest';
import { REQUIREMENTS } from '../requirements/catalogue.js';
import { FAULTS, TASKLINK_FAULTS } from '../reference/faults.js';
import { startReferenceServer } from '../reference/server.js';
import { HOOK_OTP_SOURCE, runCli, statusesOf } from './harness.js';

function flowsOf(ids: readonly string[]): string {
  return [...new Set(ids.map((id) => REQUIREMENTS.find((r) => r.id === id)?.flow))].join(',');
}

// Each fault breaks one rule of the contract; the suite must name the requirements it declares.
describe.concurrent('every fault of the TaskLink reference server is caught', () => {
  test.for(TASKLINK_FAULTS)('%s', async (fault) => {
    const { trips } = FAULTS[fault];
    const server = await startReferenceServer({ hooks: true, faults: [fault] });
    try {
      const run = await runCli(['--base-url', server.baseUrl, '--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock', '--only', flowsOf(trips)]);
      const statuses = statusesOf(run.summary());
      const expected = Object.fromEntries(trips.map((id) => [id, REQUIREMENTS.find((r) => r.id === id)?.level === 'MUST' ? 'failed' : 'warning']));
      expect(Object.fromEntries(trips.map((id) => [id, statuses[id]])), run.stdout).toEqual(expected);
      expect(run.code).toBe(Object.values(expected).includes('failed') ? 1 : 0);
    } finally {
      await server.close();
    }
  });
});
