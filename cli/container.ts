/**
 * Boots the target from a container image through Testcontainers, waits until it answers, streams
 * its output to `<reportDir>/container.log`, and stops and removes it afterwards.
 *
 * Everything that keeps a run from being made (no engine, no image, the container exits or never
 * answers, an interrupt while starting) is a ConfigError: one line, exit code 2. Testcontainers
 * reads its own environment (DOCKER_HOST, TESTCONTAINERS_*); this module reads none.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { format } from 'node:util';
import {
  GenericContainer,
  ImageName,
  Wait,
  getContainerRuntimeClient,
  getReaper,
  log as testcontainersLog,
  type ContainerRuntimeClient,
  type StartedTestContainer,
  type WaitStrategy,
} from 'testcontainers';
import { ConfigError, type ContainerConfig } from './config.js';

export interface ContainerTarget {
  readonly baseUrl: string;
  /** Stops and removes the container; safe to call more than once, never throws. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;
/** How long the engine may take to answer at all: a missing engine must be told within seconds. */
const ENGINE_TIMEOUT_MS = 5_000;
/** SIGTERM first, SIGKILL after this. */
const STOP_GRACE_MS = 5_000;
const LOG_FLUSH_MS = 3_000;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** What each Testcontainers runtime strategy looks at, for the one-line reason. */
const STRATEGY_SOURCES: Readonly<Record<string, string>> = {
  TestcontainersHostStrategy: 'TESTCONTAINERS_HOST',
  ConfigurationStrategy: 'DOCKER_HOST',
  UnixSocketStrategy: 'Docker socket /var/run/docker.sock',
  RootlessUnixSocketStrategy: 'rootless Docker socket',
  NpipeSocketStrategy: 'Docker pipe',
};
/** Strategies that follow an explicit setting: when one of these fails, no fallback is taken. */
const EXPLICIT_STRATEGIES = ['TestcontainersHostStrategy', 'ConfigurationStrategy'];

function oneLine(value: unknown): string {
  const text = value instanceof Error ? value.message : String(value);
  // dockerode's "(HTTP code 500) server error - " adds nothing to the engine's own message.
  return text.replace(/^Error: /, '').replace(/^\(HTTP code \d+\) [\w ]+ - /, '').replace(/\s+/g, ' ').trim();
}

class TimedOut extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Testcontainers only tells why each way of reaching an engine failed in its debug log. While the
 * engine is looked for, that log is captured (and still printed when the user enabled it).
 */
interface DebugInstance {
  (...args: unknown[]): void;
  enabled: boolean | null;
  log?: (...args: unknown[]) => void;
}

function captureTestcontainersLog(): { readonly lines: string[]; release(): void } {
  const lines: string[] = [];
  const logger = (testcontainersLog as unknown as { logger?: DebugInstance }).logger;
  if (typeof logger !== 'function') return { lines, release: () => {} };
  const wasEnabled = testcontainersLog.enabled();
  const previous = logger.log;
  logger.log = (...args: unknown[]) => {
    const text = format(...args);
    lines.push(text);
    if (wasEnabled) process.stderr.write(`${text}\n`);
  };
  logger.enabled = true;
  return {
    lines,
    release: () => {
      logger.log = previous;
      logger.enabled = null;
    },
  };
}

/** Per strategy, why it did not work; strategies that did not apply are left out. */
function strategyFailures(lines: readonly string[]): Map<string, string> {
  const failures = new Map<string, string>();
  for (const line of lines) {
    const m = /Container runtime strategy "(\w+)" does not work: "(.*)"/.exec(line);
    if (m) failures.set(m[1] as string, oneLine(m[2]));
  }
  return failures;
}

function notApplicable(lines: readonly string[]): Set<string> {
  return new Set(lines.map((line) => /Container runtime strategy "(\w+)" is not applicable/.exec(line)?.[1]).filter((name) => name !== undefined));
}

/** When an engine was named explicitly, only its failure matters (the fallbacks may point at it too). */
function explicitFailures(failures: Map<string, string>): Map<string, string> {
  return new Map([...failures].filter(([name]) => EXPLICIT_STRATEGIES.includes(name)));
}

function describeFailures(failures: Map<string, string>): string {
  return [...failures].map(([name, why]) => `${STRATEGY_SOURCES[name] ?? name}: ${why}`).join('; ');
}

async function engine(label: string): Promise<ContainerRuntimeClient> {
  const unreachable = (why: string) => new ConfigError(`${label}: no container engine reachable (${why}); start Docker or use --base-url`);
  const capture = captureTestcontainersLog();
  let client: ContainerRuntimeClient;
  try {
    client = await withTimeout(getContainerRuntimeClient(), ENGINE_TIMEOUT_MS);
  } catch (error) {
    const all = strategyFailures(capture.lines);
    const explicit = explicitFailures(all);
    const failures = describeFailures(explicit.size > 0 ? explicit : all);
    const skipped = notApplicable(capture.lines);
    const nothingConfigured = skipped.has('ConfigurationStrategy') && skipped.has('UnixSocketStrategy');
    const why = [failures, error instanceof TimedOut ? error.message : failures ? '' : nothingConfigured ? 'no Docker socket at /var/run/docker.sock and DOCKER_HOST is not set' : oneLine(error)];
    throw unreachable(why.filter(Boolean).join('; '));
  } finally {
    capture.release();
  }
  // Like the docker CLI: an engine named explicitly (DOCKER_HOST, TESTCONTAINERS_HOST or
  // ~/.testcontainers.properties) that does not answer is an error, not a reason to fall back
  // to whatever else happens to answer.
  const explicit = explicitFailures(strategyFailures(capture.lines));
  if (explicit.size > 0) throw unreachable(describeFailures(explicit));
  return client;
}

async function ensureImage(client: ContainerRuntimeClient, image: string, label: string): Promise<void> {
  const name = ImageName.fromString(image);
  if (await client.image.exists(name)) return;
  try {
    await client.image.pull(name);
  } catch (error) {
    throw new ConfigError(`${label}: the image is not on this machine and could not be pulled (${oneLine(error)}); build or pull it first`);
  }
  if (!(await client.image.exists(name))) throw new ConfigError(`${label}: the image is not on this machine and pulling it brought nothing; build or pull it first`);
}

async function ensureReaper(client: ContainerRuntimeClient, label: string): Promise<void> {
  try {
    await getReaper(client);
  } catch (error) {
    throw new ConfigError(
      `${label}: Testcontainers' reaper (Ryuk) could not be started (${oneLine(error)}); where its image cannot be pulled, set TESTCONTAINERS_RYUK_DISABLED=true`,
    );
  }
}

/** Why the container did not become ready; the message becomes the ConfigError's. */
class NotReady extends Error {}

/**
 * Wraps the readiness check: tells "exited (code N)" from "never answered", and gives up at once
 * when the run is interrupted (Testcontainers then stops and removes the container).
 */
class ReadyCheck implements WaitStrategy {
  constructor(
    private readonly inner: WaitStrategy,
    private readonly what: string,
    private readonly interrupted: Promise<never>,
  ) {}

  async waitUntilReady(...args: Parameters<WaitStrategy['waitUntilReady']>): Promise<void> {
    const [container] = args;
    try {
      await Promise.race([this.inner.waitUntilReady(...args), this.interrupted]);
    } catch (error) {
      if (error instanceof Interrupted) throw error;
      const state = await container.inspect().then(
        (i) => i.State,
        () => null,
      );
      if (state && !state.Running) throw new NotReady(`the container exited (code ${state.ExitCode}) before it was ready`);
      throw new NotReady(`not ready within ${this.inner.getStartupTimeout() / 1000} s (${this.what})`);
    }
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.inner.withStartupTimeout(startupTimeoutMs);
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.inner.isStartupTimeoutSet();
  }

  getStartupTimeout(): number {
    return this.inner.getStartupTimeout();
  }
}

class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted (${signal})`);
  }
}

/**
 * SIGINT/SIGTERM while the container starts: nothing may be left behind. The CLI's own handler
 * is only installed once the target is up, so this one covers the start.
 */
function watchInterrupts(): { readonly promise: Promise<never>; readonly signal: () => NodeJS.Signals | null; release(): void } {
  let signal: NodeJS.Signals | null = null;
  let reject: (error: Interrupted) => void = () => {};
  const promise = new Promise<never>((_, r) => (reject = r));
  promise.catch(() => {});
  const on = (s: NodeJS.Signals) => {
    signal = s;
    reject(new Interrupted(s));
  };
  for (const s of SIGNALS) process.once(s, on);
  return { promise, signal: () => signal, release: () => SIGNALS.forEach((s) => process.off(s, on)) };
}

/** How to reach the engine, for the exit guard: a unix socket, or http(s) with its TLS files. */
interface EngineAddress {
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: string | number;
  readonly protocol?: string;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

function engineAddress(client: ContainerRuntimeClient): EngineAddress | null {
  const modem = (client.container as unknown as { dockerode?: { modem?: Record<string, unknown> } }).dockerode?.modem;
  if (!modem) return null;
  if (typeof modem.socketPath === 'string') return { socketPath: modem.socketPath };
  if ((modem.protocol !== 'http' && modem.protocol !== 'https') || typeof modem.host !== 'string') return null;
  const text = (v: unknown) => (Buffer.isBuffer(v) ? v.toString() : typeof v === 'string' ? v : undefined);
  return { host: modem.host, port: modem.port as string | number | undefined, protocol: modem.protocol, ca: text(modem.ca), cert: text(modem.cert), key: text(modem.key) };
}

/** Run by a short-lived node child: DELETE /containers/<id>?force=true, with the engine address on stdin. */
const REMOVE_SCRIPT = `
import { request as http } from 'node:http';
import { request as https } from 'node:https';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { id, protocol, ...address } = JSON.parse(input);
const req = (protocol === 'https' ? https : http)(
  { ...address, method: 'DELETE', path: '/containers/' + encodeURIComponent(id) + '?force=true&v=true', timeout: 8000 },
  (res) => res.resume().on('end', () => process.exit(0)),
);
req.on('error', () => process.exit(1)).on('timeout', () => req.destroy());
req.end();
`;

/**
 * The last resort: when the process exits while the container still exists (something called
 * process.exit() before stop() finished: vitest's own SIGINT/SIGTERM handler does, 1 ms after
 * the signal; an uncaught error), the container is removed synchronously on the way out.
 * Only SIGKILL escapes it (Testcontainers' reaper, Ryuk, covers that where it runs).
 */
function exitGuard(client: ContainerRuntimeClient): { arm(id: string): void; disarm(): void } {
  const address = engineAddress(client);
  let onExit: (() => void) | null = null;
  return {
    arm: (id) => {
      if (address === null || onExit !== null) return;
      onExit = () => {
        spawnSync(process.execPath, ['--input-type=module', '--eval', REMOVE_SCRIPT], {
          input: JSON.stringify({ id, ...address }),
          stdio: ['pipe', 'ignore', 'ignore'],
          timeout: 10_000,
        });
      };
      process.once('exit', onExit);
    },
    disarm: () => {
      if (onExit !== null) process.off('exit', onExit);
      onExit = null;
    },
  };
}

/** GenericContainer that tells which container it created, and can refuse to create one. */
class TargetContainer extends GenericContainer {
  createdId: string | null = null;
  creating = false;
  private onCreated: () => void = () => {};
  readonly created = new Promise<void>((resolve) => (this.onCreated = resolve));

  constructor(
    image: string,
    private readonly bindHost: string | null,
    private readonly isInterrupted: () => boolean,
    private readonly onCreate: (id: string) => void,
  ) {
    super(image);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    if (this.isInterrupted()) throw new Error('interrupted before the container was created');
    this.creating = true;
    // Publish on loopback only when the engine is local: the target's test hooks hand out OTPs.
    if (this.bindHost !== null) {
      for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
        for (const binding of bindings as { HostIp?: string }[]) binding.HostIp = this.bindHost;
      }
    }
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdId = containerId;
    this.onCreate(containerId);
    this.onCreated();
    if (this.isInterrupted()) throw new Error('interrupted before the container was started');
  }

  /** Settles once creation is over either way (the container exists, or it never will). */
  settled(started: Promise<unknown>): Promise<void> {
    if (!this.creating) return Promise.resolve();
    return Promise.race([this.created, started.then(
      () => {},
      () => {},
    )]);
  }
}

async function forceRemove(client: ContainerRuntimeClient, id: string): Promise<void> {
  try {
    await client.container.getById(id).remove({ force: true, v: true });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    // 404: already gone; 409: its removal is already under way.
    if (status !== 404 && status !== 409) throw error;
  }
}

/** The container's output, written to a file until the container stops. */
function containerLog(path: string): { attach(stream: Readable): void; close(): Promise<void> } {
  const file: WriteStream = createWriteStream(path, { flags: 'w' });
  const closed = new Promise<void>((resolve) => file.once('close', () => resolve()).once('error', () => resolve()));
  let attached = false;
  return {
    attach: (stream) => {
      attached = true;
      stream.on('error', () => file.end());
      stream.pipe(file);
    },
    // The stream ends by itself when the container stops; a short grace, then the file is closed.
    close: async () => {
      if (!attached) file.end();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, LOG_FLUSH_MS)))]);
      clearTimeout(timer);
      file.end();
      await closed;
    },
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export async function startContainerTarget(config: ContainerConfig, reportDir: string): Promise<ContainerTarget> {
  const label = `--image ${config.image}`;
  const interrupts = watchInterrupts();
  // Testcontainers unrefs its log sockets: while it reads a dying container's last lines, nothing
  // else may hold the event loop, and the process would end silently with code 0.
  const keepAlive = setInterval(() => {}, 60_000);
  const beforeStart = <T>(step: Promise<T>) => Promise.race([step, interrupts.promise]);
  const interruptedError = (signal: NodeJS.Signals) => new ConfigError(`${label}: interrupted (${signal}) while starting the container; nothing was left running`);
  try {
    let client: ContainerRuntimeClient;
    try {
      client = await beforeStart(engine(label));
      await beforeStart(ensureImage(client, config.image, label));
      await beforeStart(ensureReaper(client, label));
    } catch (error) {
      if (error instanceof Interrupted) throw interruptedError(error.signal);
      throw error;
    }

    mkdirSync(reportDir, { recursive: true });
    const logPath = join(reportDir, 'container.log');
    const output = containerLog(logPath);
    const engineHost = client.info.containerRuntime.host;
    const bindHost = isLoopback(engineHost) ? (engineHost === '::1' ? '::1' : '127.0.0.1') : null;
    const urlHost = bindHost ?? engineHost;
    const readiness =
      config.waitPath !== null
        ? { strategy: Wait.forHttp(config.waitPath, config.port, { abortOnContainerExit: true }).forStatusCode(200), what: `GET ${config.waitPath} never answered 200` }
        : // "The port answers": any HTTP response. (Wait.forListeningPorts() needs a shell inside
          // the image, which scratch and distroless images lack, and the engine's port proxy
          // accepts connections before the server listens.)
          { strategy: Wait.forHttp(config.basePath, config.port, { abortOnContainerExit: true }).forStatusCodeMatching(() => true), what: `no HTTP answer on port ${config.port}` };

    const guard = exitGuard(client);
    const container = new TargetContainer(config.image, bindHost, () => interrupts.signal() !== null, (id) => guard.arm(id))
      .withExposedPorts(config.port)
      .withEnvironment({ ...config.env })
      .withWaitStrategy(new ReadyCheck(readiness.strategy, readiness.what, interrupts.promise))
      .withStartupTimeout(STARTUP_TIMEOUT_MS)
      .withLogConsumer((stream) => output.attach(stream));

    const starting = container.start();
    let started: StartedTestContainer;
    try {
      started = await Promise.race([starting, interrupts.promise]);
    } catch (error) {
      // Whatever happened, the container must not outlive this: wait until it exists or never
      // will, then remove it (Testcontainers already removes one that failed its readiness check).
      await container.settled(starting);
      if (container.createdId !== null) await forceRemove(client, container.createdId).then(guard.disarm, () => {});
      await output.close();
      const signal = interrupts.signal();
      if (signal !== null) throw interruptedError(signal);
      const what = error instanceof NotReady ? error.message : `could not start the container (${oneLine(error)})`;
      throw new ConfigError(`${label}: ${what}; its output: ${logPath}`);
    }

    let stopping: Promise<void> | null = null;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        try {
          await started.stop({ timeout: STOP_GRACE_MS, remove: true, removeVolumes: true });
          guard.disarm();
        } catch (error) {
          await forceRemove(client, started.getId()).then(guard.disarm, () => {
            console.error(`accounts-conformance: could not remove container ${started.getId().slice(0, 12)} (${oneLine(error)}); remove it with: docker rm -f ${started.getId().slice(0, 12)}`);
          });
        }
        await output.close();
      })());

    const host = isIPv6(urlHost) ? `[${urlHost}]` : urlHost;
    return { baseUrl: `http://${host}:${started.getMappedPort(config.port)}${config.basePath}`, stop };
  } finally {
    clearInterval(keepAlive);
    interrupts.release();
  }
}
