import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startReferenceServer } from '../reference/server.js';
import type { FaultName } from '../reference/faults.js';
import { runCli, type CliRun } from './harness.js';

// The gate a team adopts on day one: its first run's findings become the baseline; from then on a
// known finding fails nothing, a new one fails the run, and a fixed one is reported.
async function runAgainst(faults: readonly FaultName[], args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const server = await startReferenceServer({ hooks: true, faults: [...faults] });
  try {
    return await runCli(['--base-url', server.baseUrl, '--only', 'login', '--quiet', ...args], { env });
  } finally {
    await server.close();
  }
}

describe('a baseline of known findings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acc-baseline-'));
  const baseline = join(dir, 'baseline.json');
  const stepSummary = join(dir, 'step-summary.md');

  test('--write-baseline, then --baseline: known findings pass the gate, new ones fail it, fixed ones are reported', async () => {
    // The first run writes the findings (and, under GitHub Actions, annotates and summarizes them).
    writeFileSync(stepSummary, '# earlier step\n');
    const first = await runAgainst(['accepts-wrong-password'], ['--write-baseline', baseline], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: stepSummary });
    expect(first.code, first.stdout).toBe(1);
    const written = JSON.parse(readFileSync(baseline, 'utf8')) as { findings: { id: string; verdict: string; profile: string; reason: string }[] };
    expect(written.findings).toEqual([expect.objectContaining({ id: 'ACC-LOG-003', verdict: 'failed', profile: 'tasklink', reason: '' })]);

    // GitHub Actions: one ::error annotation per failure, the Markdown summary appended to the step summary.
    expect(first.stdout).toMatch(/^::error title=ACC-LOG-003 \(MUST\)::a wrong password is refused.*%0A/m);
    const markdown = readFileSync(join(first.reportDir, 'report.md'), 'utf8');
    expect(readFileSync(stepSummary, 'utf8')).toBe(`# earlier step\n${markdown}`);
    expect(markdown).toMatch(/^## accounts-conformance: ❌ failed \(exit 1\)/);
    expect(markdown).toMatch(/^\| login \| 4 \| 1 \| 0 \| 1 \|$/m);
    expect(markdown).toMatch(/### Failures \(1\)\n\n#### ❌ `ACC-LOG-003` \(MUST\)/);
    expect(markdown).toContain('expected status 401, got 200');

    const [known, fresh, fixed, fixedStrict] = await Promise.all([
      runAgainst(['accepts-wrong-password'], ['--baseline', baseline]),
      runAgainst(['accepts-wrong-password', 'login-token-unusable'], ['--baseline', baseline]),
      runAgainst([], ['--baseline', baseline]),
      runAgainst([], ['--baseline', baseline, '--strict-baseline']),
    ]);

    expect(known.code, known.stdout).toBe(0);
    expect(known.summary().baseline?.known).toEqual([{ id: 'ACC-LOG-003', reason: '' }]);
    expect(known.stdout).toContain('1 known findings did not fail the run');
    const junit = readFileSync(join(known.reportDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase name="ACC-LOG-003[^"]*"[^>]*>[\s\S]*?<skipped message="known: listed in the baseline \(failed\)"\/>/);
    expect(junit).toMatch(/<testsuites [^>]*failures="0"/);

    expect(fresh.code, fresh.stdout).toBe(1);
    expect(fresh.summary().results.find((r) => r.id === 'ACC-LOG-005')?.status).toBe('failed');
    expect(fresh.summary().baseline?.known.map((k) => k.id)).toContain('ACC-LOG-003');

    expect(fixed.code, fixed.stdout).toBe(0);
    expect(fixed.stdout).toContain('fixed: ACC-LOG-003 now passes: remove it from the baseline');
    expect(readFileSync(join(fixed.reportDir, 'report.md'), 'utf8')).toContain('### Fixed: remove from the baseline (1)');
    expect(fixedStrict.code, fixedStrict.stdout).toBe(1);

    // compare: the new failure of the second run, the fix of the clean one.
    const worse = await runCli(['compare', join(known.reportDir, 'summary.json'), fresh.reportDir]);
    expect(worse.code, worse.stdout).toBe(1);
    expect(worse.stdout).toMatch(/new \(1\):\n {2}✗ ACC-LOG-005 failed \(was passed\)/);
    expect(worse.stdout).toMatch(/unchanged \(1\):\n {2}= ACC-LOG-003 failed/);
    const better = await runCli(['compare', known.reportDir, fixed.reportDir]);
    expect(better.code, better.stdout).toBe(0);
    expect(better.stdout).toMatch(/fixed \(1\):\n {2}✓ ACC-LOG-003 passes \(was failed\)/);

    // matrix: requirements × targets from the report directories.
    const out = join(dir, 'matrix.html');
    const matrix = await runCli(['matrix', '--out', out, known.reportDir, fresh.reportDir, fixed.reportDir]);
    expect(matrix.code, matrix.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<tr><th scope="row"><code>ACC-LOG-005<\/code>.*<td class="passed"[^>]*>pass<\/td><td class="failed"[^>]*>FAIL<\/td><td class="passed"/);
    expect(html).not.toMatch(/<script/i);
  });

  test.each([
    ['an unknown key', { findings: [], reasn: 'x' }, /unknown key 'reasn'/],
    ['a bad verdict', { findings: [{ id: 'ACC-LOG-003', verdict: 'broken', profile: 'tasklink', reason: '' }] }, /findings\.0\.verdict: must be one of/],
    ['a missing reason', { findings: [{ id: 'ACC-LOG-003', verdict: 'failed', profile: 'tasklink' }] }, /findings\.0: required property 'reason' is missing/],
    ['an id outside the catalogue', { findings: [{ id: 'ACC-LOG-999', verdict: 'failed', profile: 'tasklink', reason: '' }] }, /findings\.0\.id: ACC-LOG-999 is not a requirement/],
  ])('a baseline with %s is exit 2, naming the key', async (_name, content, message) => {
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(content));
    const run = await runCli(['--baseline', file]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
