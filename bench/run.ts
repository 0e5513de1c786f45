/**
 * npm run bench: wall time and peak memory of a whole conformance run, against the embedded
 * reference server and against the reference server with 150 ms added to every response.
 * Timings are measured here and reported, never asserted in tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceServer } from '../reference/server.js';

const ROOT = join(import.meta.dirname, '..');
const HOOK = 'http:/__conformance__/otp?identifier={identifier}&channel={channel}&purpose={purpose}';
const RUNS = Number(process.argv[2] ?? 3);

interface Measure {
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly code: number | null;
}

function peakRss(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : 0;
  } catch {
    return 0;
  }
}

function measure(args: string[]): Promise<Measure> {
  const reportDir = mkdtempSync(join(tmpdir(), 'acc-bench-'));
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'accounts-conformance.js'), ...args, '--report-dir', reportDir], { stdio: 'ignore' });
    let peak = 0;
    // Vitest runs the specs in worker threads of the same process, so its high-water mark covers them.
    const poll = setInterval(() => (peak = Math.max(peak, peakRss(child.pid ?? 0))), 25);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ wallMs: performance.now() - started, peakRssMiB: peak, code });
    });
  });
}

function report(name: string, runs: Measure[]): void {
  const walls = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)] ?? 0;
  const peak = Math.max(...runs.map((r) => r.peakRssMiB));
  console.log(`${name.padEnd(34)} median ${(median / 1000).toFixed(2)} s (min ${((walls[0] ?? 0) / 1000).toFixed(2)} s, max ${((walls.at(-1) ?? 0) / 1000).toFixed(2)} s), peak RSS ${peak.toFixed(0)} MiB, exit codes ${runs.map((r) => r.code).join(',')}`);
}

async function scenario(name: string, args: () => Promise<{ args: string[]; close?: () => Promise<void> }>): Promise<void> {
  const runs: Measure[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { args: a, close } = await args();
    runs.push(await measure(a));
    await close?.();
  }
  report(name, runs);
}

console.log(`accounts-conformance bench: ${RUNS} runs each, node ${process.version}`);
await scenario('embedded reference server', async () => ({ args: [] }));
await scenario('reference server + 150 ms latency', async () => {
  const server = await startReferenceServer({ hooks: true, latencyMs: 150 });
  return { args: ['--base-url', server.baseUrl, '--otp-source', HOOK], close: () => server.close() };
});
