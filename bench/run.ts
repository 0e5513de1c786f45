/**
 * npm run bench [RUNS]: where the time of a conformance run goes. For each scenario (the whole
 * suite against the embedded reference server; the same against a reference server with 150 ms
 * added to every answer; --list, --help and a configuration error) it prints the median wall
 * time, the peak RSS and, for whole runs, the phases:
 * - start-up: process start to the first request the target receives (from exchanges.har);
 * - checks: the concurrent phase, vitest's start-up included;
 * - exclusive: the throttling, expiry, exhaustion and timing flows, the run's last group of spec files, on their own;
 * - reports: summary, JUnit, HTML, report.md and exchanges.har written;
 * - requests: the exchanges the run recorded.
 * The phase boundaries come from the CLI's timing marks (ACCOUNTS_BENCH_MARKS, cli/marks.ts),
 * which change nothing else.
 *
 * It also prints a replay limit: the run's recorded exchanges sent again, with a bare undici
 * client, to a fresh reference server of the same kind: each check's requests in their recorded
 * order (requests that overlapped in the recording go together), the checks all at once. Tokens
 * and codes in the recording are stale (and masked), so most replayed answers are 4xx: the
 * figure bounds how fast the target can answer this many requests in these chains, not whether
 * they pass. Timings are measured here and reported, never asserted in tests.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startReferenceServer } from '../reference/server.js';

const ROOT = join(import.meta.dirname, '..');
const HOOK = 'http:/__conformance__/otp?identifier={identifier}&channel={channel}&purpose={purpose}';
const RUNS = Number(process.argv[2] ?? 3);

interface Phases {
  readonly startupMs: number;
  readonly readyMs: number;
  readonly checksMs: number;
  readonly checksFirstRequestMs: number;
  readonly exclusiveMs: number;
  readonly exclusiveFirstRequestMs: number;
  readonly reportsMs: number;
  readonly requests: number;
}

interface Replay {
  readonly limitMs: number;
  readonly chains: number;
  /** The check with the most sequential steps: the replay's critical path. */
  readonly longest: { readonly check: string; readonly steps: number };
  readonly statuses: Record<string, number>;
}

interface Measure {
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly code: number | null;
  readonly phases?: Phases;
  readonly replay?: Replay;
}

interface HarEntry {
  readonly startedDateTime: string;
  readonly time: number;
  readonly _requirement: string | null;
  readonly request: { method: string; url: string; headers: { name: string; value: string }[]; postData?: { text: string } };
}

function peakRss(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : 0;
  } catch {
    return 0;
  }
}

function readMarks(path: string): Map<string, number> {
  const marks = new Map<string, number>();
  if (!existsSync(path)) return marks;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [name, at] = line.split(' ');
    if (name && at) marks.set(name, Number(at));
  }
  return marks;
}

function readHar(reportDir: string): HarEntry[] {
  const path = join(reportDir, 'exchanges.har');
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;
}

function phasesOf(spawnedAt: number, marks: Map<string, number>, entries: readonly HarEntry[]): Phases | undefined {
  const at = (name: string) => marks.get(name) ?? NaN;
  if (!marks.has('checks') || entries.length === 0) return undefined;
  const starts = entries.map((e) => Date.parse(e.startedDateTime));
  const first = Math.min(...starts);
  const firstAfter = (t: number) => Math.min(...starts.filter((s) => s >= t)) - t;
  return {
    startupMs: first - spawnedAt,
    readyMs: at('checks') - spawnedAt,
    checksMs: at('exclusive') - at('checks'),
    checksFirstRequestMs: firstAfter(at('checks')),
    exclusiveMs: at('suite-end') - at('exclusive'),
    exclusiveFirstRequestMs: firstAfter(at('exclusive')),
    reportsMs: at('reports-end') - at('reports'),
    requests: entries.length,
  };
}

/** The headers undici sets itself, or refuses to be given. */
const HOP_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'expect', 'upgrade']);

/**
 * Each check's exchanges in recorded order, cut into batches: an exchange that started before the
 * previous one of its check had ended was concurrent with it and is sent together with it.
 */
function chains(entries: readonly HarEntry[]): HarEntry[][][] {
  const byCheck = new Map<string, HarEntry[]>();
  entries.forEach((e, i) => {
    // An exchange outside any check (setup) is a chain of its own.
    const key = e._requirement ?? `setup ${i}`;
    byCheck.set(key, [...(byCheck.get(key) ?? []), e]);
  });
  return [...byCheck.values()].map((list) => {
    const sorted = [...list].sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
    const batches: HarEntry[][] = [];
    let end = -Infinity;
    for (const e of sorted) {
      const start = Date.parse(e.startedDateTime);
      const last = batches.at(-1);
      if (last && start < end) last.push(e);
      else batches.push([e]);
      end = Math.max(start < end ? end : 0, start + e.time);
    }
    return batches;
  });
}

async function replay(entries: readonly HarEntry[], latencyMs: number): Promise<Replay> {
  const server = await startReferenceServer({ hooks: true, latencyMs });
  const origin = new URL(server.baseUrl).origin;
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const statuses: Record<string, number> = {};
  const send = async (e: HarEntry) => {
    const url = new URL(e.request.url);
    const headers: Record<string, string> = {};
    for (const h of e.request.headers) if (!HOP_HEADERS.has(h.name.toLowerCase())) headers[h.name] = h.value;
    let kind: string;
    try {
      const res = await request(`${origin}${url.pathname}${url.search}`, {
        method: e.request.method as 'GET',
        headers,
        body: e.request.postData?.text,
        dispatcher,
      });
      await res.body.dump();
      kind = `${Math.floor(res.statusCode / 100)}xx`;
    } catch {
      kind = 'no answer';
    }
    statuses[kind] = (statuses[kind] ?? 0) + 1;
  };
  const all = chains(entries);
  const started = performance.now();
  await Promise.all(all.map(async (batches) => {
    for (const batch of batches) await Promise.all(batch.map(send));
  }));
  const limitMs = performance.now() - started;
  await dispatcher.close();
  await server.close();
  const longest = all.reduce((a, b) => (b.length > a.length ? b : a), [] as HarEntry[][]);
  const check = longest[0]?.[0]?._requirement ?? 'setup';
  return { limitMs, chains: all.length, longest: { check, steps: longest.length }, statuses };
}

function measure(args: string[], latencyMs: number | null): Promise<Measure> {
  const reportDir = mkdtempSync(join(tmpdir(), 'acc-bench-'));
  const marksPath = join(reportDir, 'bench-marks.txt');
  const spawnedAt = Date.now();
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'accounts-conformance.js'), ...args, '--report-dir', reportDir], {
      stdio: 'ignore',
      env: { ...process.env, ACCOUNTS_BENCH_MARKS: marksPath },
    });
    let peak = 0;
    // Vitest runs the specs in worker threads of the same process, so its high-water mark covers them.
    const poll = setInterval(() => (peak = Math.max(peak, peakRss(child.pid ?? 0))), 25);
    child.on('close', (code) => {
      clearInterval(poll);
      const wallMs = performance.now() - started;
      const entries = readHar(reportDir);
      const phases = phasesOf(spawnedAt, readMarks(marksPath), entries);
      rmSync(reportDir, { recursive: true, force: true });
      if (latencyMs === null || entries.length === 0) return resolve({ wallMs, peakRssMiB: peak, code, phases });
      void replay(entries, latencyMs).then((r) => resolve({ wallMs, peakRssMiB: peak, code, phases, replay: r }));
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function report(name: string, runs: Measure[]): void {
  const walls = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const wall = median(walls);
  const peak = Math.max(...runs.map((r) => r.peakRssMiB));
  console.log(`${name.padEnd(34)} median ${s(wall)} (min ${s(walls[0] ?? 0)}, max ${s(walls.at(-1) ?? 0)}), peak RSS ${peak.toFixed(0)} MiB, exit codes ${runs.map((r) => r.code).join(',')}`);
  const phases = runs.map((r) => r.phases).filter((p): p is Phases => p !== undefined);
  if (phases.length > 0) {
    const m = (pick: (p: Phases) => number) => median(phases.map(pick));
    console.log(`  start-up   ${s(m((p) => p.startupMs))}  process start to the first request the target receives (CLI and target ready after ${s(m((p) => p.readyMs))})`);
    console.log(`  checks     ${s(m((p) => p.checksMs))}  concurrent phase (its first request after ${s(m((p) => p.checksFirstRequestMs))})`);
    console.log(`  exclusive  ${s(m((p) => p.exclusiveMs))}  throttling, expiry, exhaustion and timing flows, the same vitest run's last group (first request after ${s(m((p) => p.exclusiveFirstRequestMs))})`);
    console.log(`  reports    ${s(m((p) => p.reportsMs))}  reports and exchanges.har written`);
    console.log(`  requests   ${m((p) => p.requests)}`);
  }
  const replays = runs.map((r) => r.replay).filter((r): r is Replay => r !== undefined);
  if (replays.length > 0) {
    const limit = median(replays.map((r) => r.limitMs));
    const suite = median(phases.map((p) => p.checksMs + p.exclusiveMs));
    const last = replays.at(-1);
    const statuses = Object.entries(last?.statuses ?? {}).sort().map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`  replay     ${s(limit)}  limit: the recorded requests again, bare undici, ${last?.chains} checks at once, each in order, fresh server`);
    console.log(`             longest chain ${last?.longest.check}: ${last?.longest.steps} sequential steps`);
    console.log(`             (recorded tokens are stale and masked, so most answers are 4xx: ${statuses}; a timing limit, not a run)`);
    console.log(`  ratio      wall/limit ${(wall / limit).toFixed(1)}×, checks+exclusive/limit ${(suite / limit).toFixed(1)}×`);
  }
}

async function scenario(name: string, latencyMs: number | null, args: () => Promise<{ args: string[]; close?: () => Promise<void> }>): Promise<void> {
  const runs: Measure[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { args: a, close } = await args();
    runs.push(await measure(a, latencyMs));
    await close?.();
  }
  report(name, runs);
}

console.log(`accounts-conformance bench: ${RUNS} runs each, node ${process.version}`);
await scenario('embedded reference server', 0, async () => ({ args: [] }));
await scenario('reference server + 150 ms latency', 150, async () => {
  const server = await startReferenceServer({ hooks: true, latencyMs: 150 });
  return { args: ['--base-url', server.baseUrl, '--otp-source', HOOK], close: () => server.close() };
});
await scenario('--list', null, async () => ({ args: ['--list'] }));
await scenario('--help', null, async () => ({ args: ['--help'] }));
await scenario('configuration error', null, async () => ({ args: ['--concurrency', 'nope'] }));
