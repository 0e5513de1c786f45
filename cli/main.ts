/**
 * The accounts-conformance command: reads the configuration, starts the embedded reference
 * server when no target is given, runs the vitest specs programmatically, writes the reports
 * and maps the verdicts to an exit code (0 conforming, 1 a MUST failed, 2 no run possible).
 */
import { accessSync, appendFileSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXCLUSIVE_FLOWS, FLOWS, REQUIREMENTS, type Flow } from '../requirements/catalogue.js';
import { ConfigError, helpText, loadConfig, type Config } from './config.js';
import { describeOtpSource, resolveOtpSource, type OtpSource } from '../helpers/flows/otp-sources.js';
import { resolveProvision, type ProvisionSource } from '../helpers/flows/provision-source.js';
import { onTarget } from '../helpers/flows/sources.js';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { RunSettings } from '../helpers/harness/runtime.js';
import type { Reporter, TestModule } from 'vitest/node';
import { loadProfile, ProfileError, type TargetProfile } from '../helpers/wire/profile.js';
import { notApplicable } from '../requirements/applicability.js';
import { levelFor, statementOf } from '../requirements/statement.js';
import { consoleSummary, reportPaths, summarize, writeReports } from './reports.js';
import { mark } from './marks.js';
import { VerdictCollector } from './verdicts.js';
import { applyBaseline, baselineLines, readBaseline, writeBaseline, type Baseline } from './baseline.js';
import { clearExchanges, writeHar } from './har.js';
import { githubAnnotations, markdownReport } from './markdown.js';
import { ProgressReporter } from './progress.js';
import { packageRoot } from '../helpers/package-root.js';

export const PACKAGE_ROOT = packageRoot(import.meta.url);
const EMBEDDED_OTP_HOOK: OtpSource = { kind: 'http', template: '/__conformance__/otp?identifier={identifier}&channel={channel}&purpose={purpose}' };
const EMBEDDED_CLOCK_HOOK = '/__conformance__/clock';
const EMBEDDED_PROVISION: ProvisionSource = { kind: 'http', url: '/__conformance__/users' };
/** The dialects the embedded reference server speaks, by the name of the shipped profile that describes each. */
const EMBEDDED_DIALECTS = ['tasklink', 'message-data', 'university', 'flutter-auth'] as const;
type EmbeddedDialect = (typeof EMBEDDED_DIALECTS)[number];
const REACH_TIMEOUT_MS = 4000;

export const EXIT = { conforming: 0, failed: 1, noRun: 2 } as const;

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function catalogueText(profile: TargetProfile, provisioning: boolean): string {
  const rows = REQUIREMENTS.map((r) => {
    const missing = notApplicable(r, profile, { provisioning });
    return `${r.id.padEnd(13)} ${levelFor(r, profile).padEnd(6)} ${r.flow.padEnd(11)} ${statementOf(r, profile)}  [${r.source}]${missing ? `  (not applicable: ${missing})` : ''}`;
  });
  const header = `${'id'.padEnd(13)} ${'level'.padEnd(6)} ${'flow'.padEnd(11)} statement  [source]`;
  return [`profile ${profile.name}: ${profile.description}`, '', header, ...rows, '', `${REQUIREMENTS.length} requirements`].join('\n');
}

/** The OTP source in the reports; the embedded server's own hook is named as such. */
function otpSourceText(target: Target): string {
  if (!target.otpSource) return 'none (checks that need a real OTP are skipped)';
  return target.otpSource === EMBEDDED_OTP_HOOK ? "the embedded server's OTP hook" : describeOtpSource(target.otpSource);
}

/**
 * Reachable means a TCP connection opens. A server that connects but misbehaves (hangs, resets,
 * answers garbage) is a failing target, reported by the checks, not a run that could not be made.
 */
function unreachable(baseUrl: string, timeoutMs: number): Promise<string | null> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(Math.min(timeoutMs, REACH_TIMEOUT_MS), () => done(`no connection within ${Math.min(timeoutMs, REACH_TIMEOUT_MS)} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' ? 'host not found' : `${e.code ?? 'error'}: ${e.message}`));
  });
}

export interface Target {
  readonly baseUrl: string;
  readonly otpSource: OtpSource | null;
  readonly clockHook: string | null;
  readonly provision: ProvisionSource | null;
  readonly kind: 'url' | 'embedded' | 'container';
  /** Stops whatever the suite started (server or container); always called. */
  close(): Promise<void>;
}

async function reachable(baseUrl: string, config: Config): Promise<void> {
  const problem = await unreachable(baseUrl, config.timeoutMs);
  if (problem) throw new ConfigError(`cannot reach ${baseUrl}: ${problem}`);
}

/** The contract each embedded dialect implements: a profile that extends a shipped one keeps its contract. */
const DIALECT_OF_CONTRACT: Readonly<Record<string, EmbeddedDialect>> = { 'seed-000': 'tasklink', 'seed-001': 'university', 'seed-002': 'message-data', 'seed-004': 'flutter-auth' };

function embeddedDialect(profile: TargetProfile): EmbeddedDialect {
  const dialect = EMBEDDED_DIALECTS.find((name) => name === profile.name) ?? (profile.contract ? DIALECT_OF_CONTRACT[profile.contract] : undefined);
  if (!dialect) {
    throw new ConfigError(`the embedded reference server speaks ${EMBEDDED_DIALECTS.join(', ')}, not the ${profile.name} profile: give the target with --base-url or --image`);
  }
  return dialect;
}

async function prepareTarget(config: Config, profile: TargetProfile): Promise<Target> {
  const { otpSource, clockHook, provision } = config;
  if (config.baseUrl) {
    await reachable(config.baseUrl, config);
    return { baseUrl: config.baseUrl, otpSource, clockHook, provision, kind: 'url', close: async () => {} };
  }
  if (config.container) {
    const { startContainerTarget } = await import('./container.js');
    const container = await startContainerTarget(config.container, config.reportDir);
    return { baseUrl: container.baseUrl, otpSource, clockHook, provision, kind: 'container', close: () => container.stop() };
  }
  const dialect = embeddedDialect(profile);
  const { startReferenceServer } = await import('../reference/server.js');
  const server = await startReferenceServer({ hooks: true, dialect });
  return {
    baseUrl: server.baseUrl,
    otpSource: otpSource ?? EMBEDDED_OTP_HOOK,
    clockHook: clockHook ?? EMBEDDED_CLOCK_HOOK,
    provision: provision ?? (profile.operations.register ? null : EMBEDDED_PROVISION),
    kind: 'embedded',
    close: () => server.close(),
  };
}

/**
 * What every spec worker needs to know, the same for both phases of a run: plain JSON (it
 * crosses vitest's `provide`). The hooks given as paths are resolved against the target here,
 * once; the profile travels resolved, so workers never load it again.
 */
function runSettings(config: Config, target: Target, profile: TargetProfile): RunSettings {
  return {
    baseUrl: target.baseUrl,
    otpSource: target.otpSource && resolveOtpSource(target.otpSource, target.baseUrl),
    clockHook: target.clockHook && onTarget(target.clockHook, target.baseUrl),
    provision: target.provision && resolveProvision(target.provision, target.baseUrl),
    timeoutMs: config.timeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    concurrency: config.concurrency,
    seed: config.seed,
    strict: config.strict,
    profile,
    reportDir: config.reportDir,
  };
}

/** The spec files of a vitest run, split into its two phases, and what its workers are given. */
export interface SuiteRun {
  /** The concurrent checks' spec files, and the exclusive flows' (clock, throttling, timing). */
  readonly checks: readonly string[];
  readonly exclusive: readonly string[];
  /** What a project ('checks' or 'exclusive') of so many workers provides to each of them (vitest's `provide`). */
  provide(project: 'checks' | 'exclusive', workers: number): Record<string, unknown>;
  /** Files run before each spec file (the exchange recorder of an ordinary run). */
  readonly setupFiles: readonly string[];
  readonly reporters: readonly (Reporter | [string, Record<string, unknown>])[];
  /** Workers of the concurrent phase. */
  readonly workers: number;
  /** Workers of the exclusive phase: 1 for a run, whose exclusive flows share one target. */
  readonly exclusiveWorkers?: number;
  readonly testTimeout: number;
  /** vitest's cache directory. */
  readonly cacheDir: string;
}

/** The spec file of a flow. */
export function specFile(flow: Flow): string {
  return join(PACKAGE_ROOT, 'specs', `${flow}.spec.ts`);
}

/**
 * One vitest run of two projects, one start-up: first the concurrent checks, then
 * (sequence.groupOrder 1) the exclusive flows, one spec file at a time: they move the target's
 * clock or hammer an endpoint. Each check is concurrent with the others of its file unless its
 * spec declares them sequential (helpers/harness/check.ts). The options given at the top are
 * vitest's command-line options, which override a project's own: what differs between the two
 * projects is set only in them.
 */
export async function runVitest(run: SuiteRun): Promise<void> {
  if (run.checks.length + run.exclusive.length === 0) return;
  // Loaded only for a real run: --list, --help and configuration errors answer at once.
  const { startVitest } = await import('vitest/node');
  const project = (name: 'checks' | 'exclusive', order: number, include: readonly string[], workers: number) => ({
    test: {
      name,
      root: PACKAGE_ROOT,
      include: [...include],
      sequence: { groupOrder: order },
      fileParallelism: workers > 1,
      maxWorkers: workers,
      maxConcurrency: 12,
      setupFiles: [...run.setupFiles],
      provide: run.provide(name, workers),
    },
  });
  await startVitest(
    'test',
    [],
    {
      root: PACKAGE_ROOT,
      config: false,
      projects: [
        ...(run.checks.length > 0 ? [project('checks', 0, run.checks, run.workers)] : []),
        // Within the exclusive project the throttling checks (each on its own account) run
        // together; the expiry checks, which move the target's clock, are sequential in their spec.
        ...(run.exclusive.length > 0 ? [project('exclusive', 1, run.exclusive, run.exclusiveWorkers ?? 1)] : []),
      ],
      reporters: [...run.reporters, new PhaseMarks()],
      pool: 'threads',
      isolate: false,
      testTimeout: run.testTimeout,
      watch: false,
      passWithNoTests: true,
      // The spec files and helpers vitest transforms, kept between runs (next to the package).
      ...moduleCache(),
    },
    { logLevel: 'silent', cacheDir: run.cacheDir },
    // vitest's own console output (banners) is noise here: verdicts, problems and unhandled
    // errors reach the collector and the console summary instead.
    { stdout: new Writable({ write: (_chunk, _encoding, done) => done() }) },
  );
}

/** A check makes a handful of requests, each bounded by the per-request timeout. */
export function testTimeoutOf(config: Config): number {
  return Math.max(60_000, config.timeoutMs * 12);
}

/** Runs the specs of a run's flows against its target. */
async function runSuite(config: Config, target: Target, settings: RunSettings, reporters: readonly Reporter[], flows: readonly Flow[]): Promise<void> {
  // A remote target is latency-bound: more spec files in flight pay off (150 ms added latency:
  // 9.1 s with 2 workers, 4.5 s with 4). The embedded server shares our 2 cores: 2 is faster there.
  const workers = target.kind === 'embedded' ? 2 : 4;
  await runVitest({
    checks: flows.filter((f) => !EXCLUSIVE_FLOWS.includes(f)).map(specFile),
    exclusive: flows.filter((f) => EXCLUSIVE_FLOWS.includes(f)).map(specFile),
    // --concurrency bounds the whole run: each worker's client gets an equal share.
    provide: (_project, of) => ({ accounts: { ...settings, concurrency: Math.max(1, Math.floor(config.concurrency / of)) } }),
    // Records every exchange of each worker for exchanges.har.
    setupFiles: [join(PACKAGE_ROOT, 'helpers', 'harness', 'exchange-log.ts')],
    reporters: [...reporters, ['html', { outputFile: join(config.reportDir, 'html', 'index.html') }]],
    workers,
    testTimeout: testTimeoutOf(config),
    cacheDir: join(config.reportDir, '.vite'),
  });
}

/** The bench's timing mark where the exclusive group starts (cli/marks.ts; nothing without it). */
class PhaseMarks implements Reporter {
  private marked = false;
  onTestModuleStart(module: TestModule): void {
    if (this.marked || module.project.name !== 'exclusive') return;
    this.marked = true;
    mark('exclusive');
  }
}

/**
 * vitest's file-system cache of transformed modules, in the package's own node_modules/.cache:
 * a run then starts without transforming the specs again (~0.5 s and ~90 MiB less). Entries are
 * keyed by the source's content, so an edited spec is transformed anew. A read-only install
 * (a global one owned by root, say) runs without it. Never in /tmp: the cached code is run.
 */
function moduleCache(): { experimental?: { fsModuleCache: boolean; fsModuleCachePath: string } } {
  const path = join(PACKAGE_ROOT, 'node_modules', '.cache', 'accounts-conformance-modules');
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
    return { experimental: { fsModuleCache: true, fsModuleCachePath: path } };
  } catch {
    return {};
  }
}

/** Subcommands that read report directories instead of making a run. */
async function subcommand(name: string, args: readonly string[]): Promise<number> {
  try {
    if (name === 'compare') return (await import('./compare.js')).runCompare(args);
    return (await import('./matrix.js')).runMatrix(args, process.cwd());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`accounts-conformance ${name}: ${error.message}`);
    return EXIT.noRun;
  }
}

/**
 * `doctor`: the target and profile options of a run; each mapped operation is called once and
 * its answer compared with the profile (cli/doctor.ts). Exit 0 when all answered as the profile
 * says, 1 otherwise, 2 for configuration.
 */
async function doctor(argv: readonly string[]): Promise<number> {
  let config: Config;
  let profile: TargetProfile;
  let target: Target;
  try {
    config = loadConfig({ argv, env: process.env, cwd: process.cwd() });
    profile = loadProfile(config.profile);
    target = await prepareTarget(config, profile);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof ProfileError)) throw error;
    console.error(`accounts-conformance doctor: ${error.message}`);
    return EXIT.noRun;
  }
  try {
    const { runDoctor } = await import('./doctor.js');
    return await runDoctor(runSettings(config, target, profile), (line) => console.log(line));
  } finally {
    await target.close();
  }
}

/** Where a run's lines go: the console, or a batch's record of each run. */
export interface Output {
  log(line: string): void;
  error(line: string): void;
}

const CONSOLE: Output = { log: (line) => console.log(line), error: (line) => console.error(line) };

/** A run made ready: its configuration, profile, baseline, flows and started target. */
export interface PreparedRun {
  readonly config: Config;
  readonly profile: TargetProfile;
  readonly baseline: Baseline | null;
  readonly target: Target;
  readonly flows: readonly Flow[];
  readonly settings: RunSettings;
  readonly startedAt: Date;
}

/**
 * Reads a run's configuration and profile and starts its target. A number is the exit code of an
 * invocation that ends here: help, version, the catalogue, or a run that cannot be made (one line).
 */
export async function prepareRun(argv: readonly string[], out: Output): Promise<PreparedRun | number> {
  let config: Config;
  let baseline: Baseline | null;
  try {
    config = loadConfig({ argv, env: process.env, cwd: process.cwd() });
    baseline = config.baseline && !config.help && !config.version && !config.list ? readBaseline(config.baseline) : null;
  } catch (error) {
    if (error instanceof ConfigError) {
      out.error(`accounts-conformance: ${error.message}`);
      return EXIT.noRun;
    }
    throw error;
  }
  if (config.help) return out.log(helpText()), EXIT.conforming;
  if (config.version) return out.log(version()), EXIT.conforming;
  let profile: TargetProfile;
  try {
    profile = loadProfile(config.profile);
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    out.error(`accounts-conformance: ${error.message}`);
    return EXIT.noRun;
  }
  // Listing assumes the embedded server's provisioning when no target is given, as a run would.
  const provisioning = config.provision !== null || (config.baseUrl === null && config.container === null);
  if (config.list) return out.log(catalogueText(profile, provisioning)), EXIT.conforming;

  const startedAt = new Date();
  let target: Target;
  try {
    target = await prepareTarget(config, profile);
  } catch (error) {
    out.error(`accounts-conformance: ${error instanceof ConfigError ? error.message : `could not start: ${(error as Error).message}`}`);
    return EXIT.noRun;
  }
  clearExchanges(config.reportDir);
  return { config, profile, baseline, target, flows: config.only ?? FLOWS, settings: runSettings(config, target, profile), startedAt };
}

/** Writes a finished run's reports, prints its summary and returns its exit code. */
export function finishRun(prepared: PreparedRun, collector: VerdictCollector, out: Output, { vitestHtml = true } = {}): number {
  const { config, profile, baseline, target, flows, startedAt } = prepared;
  const results = collector.verdicts(flows);
  const summary = summarize(
    {
      version: version(),
      baseUrl: target.baseUrl,
      embedded: target.kind === 'embedded',
      profile: profile.name,
      otpSource: otpSourceText(target),
      seed: config.seed,
      strict: config.strict,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      reportDir: config.reportDir,
      problems: collector.problems,
    },
    results,
    baseline ? applyBaseline(baseline, results, profile.name, config.strictBaseline) : undefined,
  );
  mark('reports');
  const paths = writeReports(summary, config.reportDir);
  writeHar(config.reportDir, paths.har, version());
  mark('reports-end');
  const rel = relative(process.cwd(), config.reportDir);
  const all = rel.startsWith('..') ? paths : reportPaths(rel || '.');
  const shown = vitestHtml ? all : { ...all, vitestHtml: undefined };
  if (config.github) {
    for (const line of githubAnnotations(summary)) out.log(line);
    if (config.github.stepSummary) appendFileSync(config.github.stepSummary, markdownReport(summary));
  }
  out.log(consoleSummary(summary, shown, flows));
  if (summary.baseline) out.log(baselineLines(summary.baseline).join('\n'));
  if (config.writeBaseline) {
    const n = writeBaseline(config.writeBaseline, results, { profile: profile.name, version: version(), target: summary.target.baseUrl });
    out.log(`baseline: ${n} findings written to ${config.writeBaseline}; fill in each reason`);
  }
  return summary.exitCode;
}

export async function run(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'compare' || argv[0] === 'matrix') return subcommand(argv[0], argv.slice(1));
  if (argv[0] === 'doctor') return doctor(argv.slice(1));
  const prepared = await prepareRun(argv, CONSOLE);
  if (typeof prepared === 'number') return prepared;
  const { config, target, flows, profile, settings } = prepared;
  const collector = new VerdictCollector(profile);
  // Progress goes to stderr: stdout carries the summary (and the GitHub annotations).
  const total = REQUIREMENTS.filter((r) => flows.includes(r.flow)).length;
  const progress = config.quiet ? null : new ProgressReporter({ total, out: process.stderr });
  const reporters: Reporter[] = progress ? [collector, progress] : [collector];
  // Ctrl-C or a CI cancel: stop what the suite started (a container above all) before leaving.
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`accounts-conformance: ${signal}, stopping the target`);
    void target.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    progress?.start();
    mark('checks');
    await runSuite(config, target, settings, reporters, flows);
    mark('suite-end');
  } catch (error) {
    collector.problems.push(`the test runner stopped: ${(error as Error).message}`);
  } finally {
    progress?.stop();
    await target.close();
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
  }
  return finishRun(prepared, collector, CONSOLE);
}
