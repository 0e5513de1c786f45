/**
 * --image: the target booted from a container image (the reference server's, built locally by
 * scripts/build-reference-image.sh). Without a container engine or that image, the tests that
 * need them are skipped with the reason; the no-engine test runs everywhere.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REQUIREMENTS } from '../requirements/catalogue.js';
import { BIN, HOOK_OTP_SOURCE, ROOT, runCli, cleanEnvironment, inapplicable } from './harness.js';

const IMAGE = 'accounts-conformance/reference:local';
/** No reaper image can be pulled here; the engine is local. */
const CONTAINER_ENV = { TESTCONTAINERS_RYUK_DISABLED: 'true', TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1' };
/** The containers these tests start: Testcontainers' label, the reference image. */
const OURS = ['--filter', 'label=org.testcontainers=true', '--filter', `ancestor=${IMAGE}`];
const RUN_ARGS = ['--image', IMAGE, '--otp-source', HOOK_OTP_SOURCE, '--clock-hook', '/__conformance__/clock'];

function docker(args: readonly string[], timeoutMs = 10_000): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile('docker', args, { timeout: timeoutMs }, (error, stdout, stderr) => resolve({ ok: !error, out: error ? `${stderr || error.message}`.trim() : stdout.trim() }));
  });
}

/** Why the container tests cannot run here, or null. */
async function whyNoContainers(): Promise<string | null> {
  const engine = await docker(['version', '--format', '{{.Server.Version}}'], 5_000);
  if (!engine.ok) return `no container engine reachable (${engine.out.split('\n')[0] || 'docker version failed'}); run bash scripts/docker-setup.sh`;
  const image = await docker(['image', 'inspect', '--format', '{{.Id}}', IMAGE]);
  if (!image.ok) return `image ${IMAGE} is missing; run bash scripts/build-reference-image.sh`;
  return null;
}

async function leftovers(): Promise<string[]> {
  const ps = await docker(['ps', '-aq', ...OURS]);
  return ps.out ? ps.out.split('\n') : [];
}

const noContainers = await whyNoContainers();


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('container targets (--image)', () => {
  afterAll(async () => {
    // A failed test must not leave its container behind (the assertions ran before this).
    if (noContainers === null) for (const id of await leftovers()) await docker(['rm', '-f', id]);
  });

  test('with no reachable container engine: exit 2 and one line on stderr, within 10 s', async () => {
    const run = await runCli(['--image', IMAGE], { env: { ...CONTAINER_ENV, DOCKER_HOST: 'unix:///nonexistent.sock' }, timeoutMs: 30_000 });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `accounts-conformance: --image ${IMAGE}: no container engine reachable (DOCKER_HOST: connect ENOENT /nonexistent.sock); start Docker or use --base-url`,
    ]);
    expect(run.stdout).toBe('');
    expect(run.durationMs).toBeLessThan(10_000);
  });

  test('the reference image as the target: exit 0, reports and container.log written, the container removed', async (ctx) => {
    if (noContainers !== null) ctx.skip(noContainers);
    const run = await runCli(RUN_ARGS, { env: CONTAINER_ENV, timeoutMs: 90_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = run.summary();
    expect(summary.target.embedded).toBe(false);
    expect(summary.target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/$/);
    // The same verdicts as against the embedded server: the hooks resolved against the container.
    expect(summary.results.map((r) => r.id)).toEqual(REQUIREMENTS.map((r) => r.id));
    expect(summary.results.filter((r) => r.status !== 'passed' && !inapplicable('tasklink', r.id)).map((r) => [r.id, r.status])).toEqual([['ACC-RACE-004', 'skipped']]);
    for (const file of ['summary.json', 'junit.xml', 'report.html', 'container.log']) expect(existsSync(join(run.reportDir, file)), file).toBe(true);
    expect(readFileSync(join(run.reportDir, 'container.log'), 'utf8')).toMatch(/^reference server listening on /m);
    expect(await leftovers()).toEqual([]);
  });

  test('a run interrupted with SIGINT still stops and removes its container', async (ctx) => {
    if (noContainers !== null) ctx.skip(noContainers);
    const reportDir = mkdtempSync(join(tmpdir(), 'acc-report-'));
    const child = spawn(process.execPath, [BIN, ...RUN_ARGS, '--report-dir', reportDir], { cwd: ROOT, env: cleanEnvironment(CONTAINER_ENV), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      // Once the container runs, let the checks get going, then interrupt.
      const deadline = Date.now() + 30_000;
      while ((await docker(['ps', '-q', ...OURS])).out === '' && Date.now() < deadline) await sleep(200);
      expect((await docker(['ps', '-q', ...OURS])).out, `no container came up; CLI output:\n${output}`).not.toBe('');
      await sleep(2_500);
      child.kill('SIGINT');
      const code = await exited;
      // Normally the checks are running by now (130); on a slow machine the container may still
      // be starting (2). Either way it must be gone.
      if (code === 2) expect(output).toMatch(/interrupted \(SIGINT\) while starting the container/);
      else {
        expect(code, output).toBe(130);
        expect(output).toMatch(/SIGINT, stopping the target/);
      }
      expect(await leftovers()).toEqual([]);
    } finally {
      clearTimeout(killer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
