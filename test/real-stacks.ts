/** What the self-tests against real stacks (Django, better-auth, Parse Server) share: ports, stopping, pinned findings. */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REQUIREMENTS } from '../requirements/catalogue.js';
import { expectHonest, ROOT, type CliRun } from './harness.js';

/** A stack's known findings (test/expectations/NAME.json), each with the real behaviour behind it. */
export interface Expectations {
  readonly profile: string;
  readonly findings: Readonly<Record<string, { readonly status: string; readonly why: string }>>;
}

export function expectations(name: string): Expectations {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'expectations', `${name}.json`), 'utf8')) as Expectations;
}

/** A loopback port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Stops a stack's process and waits for it to exit. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * A whole run of a real stack with its shipped profile found exactly the pinned findings, and
 * nothing hollow: every skip says why, at least 60 checks got a verdict, every pass sent its
 * subject, every requirement has a result.
 */
export function expectPinnedRun(run: CliRun, name: string): void {
  const expected = expectations(name);
  const summary = run.summary();
  expect(summary.target.profile).toBe(expected.profile);
  const findings = Object.fromEntries(summary.results.filter((r) => r.status === 'failed' || r.status === 'warning').map((r) => [r.id, r.status]));
  expect(findings, run.stdout).toEqual(Object.fromEntries(Object.entries(expected.findings).map(([id, f]) => [id, f.status])));
  expect(run.code).toBe(Object.values(expected.findings).some((f) => f.status === 'failed') ? 1 : 0);
  for (const r of summary.results.filter((x) => x.status === 'skipped')) expect(r.message, r.id).toMatch(/not applicable|needs a real OTP|clock hook/);
  expect(summary.passed + summary.failed + summary.warnings).toBeGreaterThanOrEqual(60);
  expectHonest(summary);
  expect(summary.results).toHaveLength(REQUIREMENTS.length);
}
