/**
 * Many runs in one vitest run. The self-tests prove every fault of the reference server with a
 * run of its own, and a whole CLI process per run spends most of its time starting up (node,
 * vitest, workers, loading the specs): ~3 CPU-s for a dozen checks. A batch makes each run ready
 * as the CLI does (configuration, profile, target), then loads each run's spec files through a
 * wrapper that binds the checks they declare to that run (helpers/harness/runtime.ts), so that
 * all the runs share one start-up, one pool of workers and one module cache. Each run keeps its
 * own target, verdicts, reports, exchanges, console lines and exit code, as if made alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Reporter, SerializedError, TestModule } from 'vitest/node';
import { EXCLUSIVE_FLOWS, type Flow } from '../requirements/catalogue.js';
import { finishRun, PACKAGE_ROOT, prepareRun, runVitest, specFile, testTimeoutOf, type Output, type PreparedRun } from './main.js';
import { VerdictCollector } from './verdicts.js';

export interface BatchResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What a run prints, kept. */
class Recorded implements Output {
  stdout = '';
  stderr = '';
  log(line: string): void {
    this.stdout += `${line}\n`;
  }
  error(line: string): void {
    this.stderr += `${line}\n`;
  }
}

function helper(path: string): string {
  return JSON.stringify(pathToFileURL(join(PACKAGE_ROOT, 'helpers', 'harness', path)).href);
}

/** A flow's spec file as run `id`'s own module instance (`?run=`). */
function specOf(id: string, flow: Flow): string {
  return JSON.stringify(`${pathToFileURL(specFile(flow)).href}?run=${id}`);
}

/** The head of a wrapper: the checks declared from here on are run `id`'s, its exchanges go to its reports. */
function wrapperHead(id: string, reportDir: string): string[] {
  return [`import { bindRun } from ${helper('runtime.ts')};`, `import { recordExchanges } from ${helper('exchange-log.ts')};`, `bindRun(${JSON.stringify(id)});`, `recordExchanges(${JSON.stringify(reportDir)});`];
}

/** The wrapper that loads one concurrent flow's spec file for run `id`. */
function checksWrapper(id: string, flow: Flow, reportDir: string): string {
  return [...wrapperHead(id, reportDir), `await import(${specOf(id, flow)});`, ''].join('\n');
}

/**
 * The wrapper that loads all of run `id`'s exclusive flows, one suite each: suites of a file run
 * one after the other, so the run's throttling, clock moves and timings never overlap each
 * other, while other runs' exclusive wrappers, against other targets, run beside it.
 */
function exclusiveWrapper(id: string, flows: readonly Flow[], reportDir: string): string {
  const suites = flows.map((flow) => `describe(${JSON.stringify(flow)}, async () => {\n  bindRun(${JSON.stringify(id)});\n  await import(${specOf(id, flow)});\n});`);
  return [`import { describe } from 'vitest';`, ...wrapperHead(id, reportDir), ...suites, ''].join('\n');
}

/** Hands each run's spec files, and only those, to its collector. */
class RunRouter implements Reporter {
  constructor(
    private readonly root: string,
    private readonly collectors: ReadonlyMap<string, VerdictCollector>,
  ) {}

  private runOf(module: TestModule): string | undefined {
    if (!module.moduleId.startsWith(this.root + sep)) return undefined;
    return module.moduleId.slice(this.root.length + 1).split(sep)[0];
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    for (const [id, collector] of this.collectors) {
      // An error outside any spec file cannot be told apart: every run reports it.
      collector.onTestRunEnd(modules.filter((m) => this.runOf(m) === id), unhandled);
    }
  }
}

/**
 * Makes the runs, each given as the CLI's arguments, in one vitest run; results in the same
 * order. A worker runs one spec file at a time, and a run's spec file waits on its target most
 * of the time: `workers` spec files are in flight at once.
 */
export async function runBatch(jobs: readonly (readonly string[])[], workers = 2): Promise<BatchResult[]> {
  const outputs = jobs.map(() => new Recorded());
  const codes: (number | null)[] = jobs.map(() => null);
  const prepared = new Map<string, PreparedRun>();
  for (const [i, argv] of jobs.entries()) {
    const out = outputs[i] as Recorded;
    const ready = await prepareRun(argv, out);
    if (typeof ready === 'number') codes[i] = ready;
    else prepared.set(String(i), ready);
  }
  const root = mkdtempSync(join(tmpdir(), 'acc-batch-'));
  const collectors = new Map([...prepared].map(([id, run]) => [id, new VerdictCollector(run.profile)]));
  try {
    const checks: string[] = [];
    const exclusive: string[] = [];
    for (const [id, run] of prepared) {
      mkdirSync(join(root, id));
      for (const flow of run.flows.filter((f) => !EXCLUSIVE_FLOWS.includes(f))) {
        const file = join(root, id, `${flow}.spec.ts`);
        writeFileSync(file, checksWrapper(id, flow, run.config.reportDir));
        checks.push(file);
      }
      const own = EXCLUSIVE_FLOWS.filter((f) => run.flows.includes(f));
      if (own.length === 0) continue;
      const file = join(root, id, 'exclusive.spec.ts');
      writeFileSync(file, exclusiveWrapper(id, own, run.config.reportDir));
      exclusive.push(file);
    }
    const runs = [...prepared.values()];
    const settingsFor = (of: number) => Object.fromEntries([...prepared].map(([id, run]) => [id, { ...run.settings, concurrency: Math.max(1, Math.floor(run.config.concurrency / of)) }]));
    try {
      await runVitest({
        checks,
        exclusive,
        // A run's spec files may be in several workers at once, against its one target: each
        // gets a share of its --concurrency. Its exclusive flows are in one worker: all of it.
        provide: (project, of) => ({ accountsRuns: settingsFor(project === 'exclusive' ? 1 : of) }),
        setupFiles: [],
        reporters: [new RunRouter(root, collectors)],
        workers,
        exclusiveWorkers: Math.max(1, Math.floor(workers / 2)),
        testTimeout: Math.max(...runs.map((run) => testTimeoutOf(run.config))),
        cacheDir: join(root, '.vite'),
      });
    } catch (error) {
      for (const collector of collectors.values()) collector.problems.push(`the test runner stopped: ${(error as Error).message}`);
    }
  } finally {
    await Promise.all([...prepared.values()].map((run) => run.target.close()));
    rmSync(root, { recursive: true, force: true });
  }
  for (const [id, run] of prepared) codes[Number(id)] = finishRun(run, collectors.get(id) as VerdictCollector, outputs[Number(id)] as Recorded, { vitestHtml: false });
  return outputs.map((out, i) => ({ code: codes[i] as number, stdout: out.stdout, stderr: out.stderr }));
}
