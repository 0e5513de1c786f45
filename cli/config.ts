/**
 * Configuration is read here and nowhere else: CLI flags > environment > `.env` > defaults.
 * The result is validated and frozen; anything wrong is a ConfigError, which the CLI turns into
 * one line and exit code 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { FLOWS, type Flow } from '../requirements/catalogue.js';
import { parseOtpSource, type OtpSource } from '../helpers/flows/otp-sources.js';
import { parseProvision, type ProvisionSource } from '../helpers/flows/provision-source.js';
import { isUrlOrTargetPath, SourceError } from '../helpers/flows/sources.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ContainerConfig {
  readonly image: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
  /** An HTTP path answering 200 when the server is ready; null: wait for the port. */
  readonly waitPath: string | null;
  /** The API's base path inside the container, e.g. /api/v1/. */
  readonly basePath: string;
}

export interface Config {
  /** The target's base URL, ending in '/'; null means: start the embedded reference server. */
  readonly baseUrl: string | null;
  readonly otpSource: OtpSource | null;
  /** How users are made when the profile has no register operation; null: not configured. */
  readonly provision: ProvisionSource | null;
  /** URL (absolute, or a path on the target's origin) that advances the target's clock. */
  readonly clockHook: string | null;
  readonly reportDir: string;
  readonly strict: boolean;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** Most requests in flight at once, over all spec workers together; lowered by itself when the target throttles or slows. */
  readonly concurrency: number;
  /** Flows to run; null means all. */
  readonly only: readonly Flow[] | null;
  /** Profile name (a shipped profile) or path to a profile file. */
  readonly profile: string;
  /** A container image to boot as the target (Testcontainers); null when not used. */
  readonly container: ContainerConfig | null;
  /** Known findings: their failures do not fail the run (null: no baseline). */
  readonly baseline: string | null;
  /** Where to write the current failures and warnings as a baseline, or null. */
  readonly writeBaseline: string | null;
  /** A baseline entry that now passes fails the run, so that baselines only shrink. */
  readonly strictBaseline: boolean;
  /** No progress lines on stderr. */
  readonly quiet: boolean;
  /** Running under GitHub Actions: annotations on stdout, the Markdown summary appended to this file (or null). */
  readonly github: { readonly stepSummary: string | null } | null;
  readonly list: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

interface OptionSpec {
  readonly flag: string;
  readonly env?: string;
  readonly boolean?: boolean;
  /** May be given several times; the environment variable takes a comma list. */
  readonly repeatable?: boolean;
  readonly help: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  { flag: 'base-url', env: 'ACCOUNTS_BASE_URL', help: 'base URL of the API under test, e.g. http://127.0.0.1:8000/api/v1/ (default: start the embedded reference server)' },
  { flag: 'otp-source', env: 'ACCOUNTS_OTP_SOURCE', help: 'how to read OTPs: fixed:<code> | http:<url template> | command:<shell command> | file:<outbox.jsonl> | mailpit:<url>' },
  { flag: 'provision', env: 'ACCOUNTS_PROVISION', help: 'how to make users on an API without registration: http:<url> (POST JSON user; a path resolves against the target) | command:<shell command> (ACCOUNTS_USER_* variables)' },
  { flag: 'clock-hook', env: 'ACCOUNTS_CLOCK_HOOK', help: 'POST {"advance_seconds": N} here to move the target\'s clock (expiry checks); a path resolves against the target' },
  { flag: 'report-dir', env: 'ACCOUNTS_REPORT_DIR', help: 'where reports are written (default: reports/)' },
  { flag: 'strict', env: 'ACCOUNTS_STRICT', boolean: true, help: 'SHOULD-level failures fail the run' },
  { flag: 'seed', env: 'ACCOUNTS_SEED', help: 'faker seed, to replay a run (default: random, printed)' },
  { flag: 'timeout', env: 'ACCOUNTS_TIMEOUT', help: 'per-request timeout in ms (default: 10000)' },
  { flag: 'max-body', env: 'ACCOUNTS_MAX_BODY', help: 'largest response body read, in bytes (default: 5242880)' },
  { flag: 'concurrency', env: 'ACCOUNTS_CONCURRENCY', help: 'most requests in flight at once (default: 32); lowered by itself while the target throttles (429, 503) or times out' },
  { flag: 'only', env: 'ACCOUNTS_ONLY', help: `comma list of flows to run: ${FLOWS.join(', ')}` },
  { flag: 'profile', env: 'ACCOUNTS_PROFILE', help: 'the API dialect: a shipped profile name or a profile file path (default: tasklink)' },
  { flag: 'image', env: 'ACCOUNTS_IMAGE', help: 'boot this container image as the target (Testcontainers), run against it, stop it' },
  { flag: 'container-port', env: 'ACCOUNTS_CONTAINER_PORT', help: 'the port the image listens on (default: 8000)' },
  { flag: 'container-env', env: 'ACCOUNTS_CONTAINER_ENV', repeatable: true, help: 'KEY=VALUE for the container; repeatable (environment: a comma list)' },
  { flag: 'wait-path', env: 'ACCOUNTS_WAIT_PATH', help: 'HTTP path that answers 200 once the container is ready (default: the first HTTP answer at the base path)' },
  { flag: 'base-path', env: 'ACCOUNTS_BASE_PATH', help: 'the API base path inside the container (default: /api/v1/)' },
  { flag: 'baseline', env: 'ACCOUNTS_BASELINE', help: 'a baseline file of known findings: those fail nothing, new ones fail the run, fixed ones are reported' },
  { flag: 'write-baseline', help: 'write the failures and warnings of this run to this baseline file' },
  { flag: 'strict-baseline', env: 'ACCOUNTS_STRICT_BASELINE', boolean: true, help: 'a baseline entry that now passes fails the run (baselines only shrink)' },
  { flag: 'quiet', env: 'ACCOUNTS_QUIET', boolean: true, help: 'no progress lines on stderr during the run' },
  { flag: 'list', boolean: true, help: 'print the requirement catalogue and exit' },
  { flag: 'help', boolean: true, help: 'print this help and exit' },
  { flag: 'version', boolean: true, help: 'print the version and exit' },
];

type Raw = Partial<Record<string, string>>;

function parseArgv(argv: readonly string[]): Raw {
  const raw: Raw = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h') {
      raw.help = 'true';
      continue;
    }
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument '${arg}' (options start with --; see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = OPTIONS.find((o) => o.flag === name);
    if (!spec) throw new ConfigError(`unknown option --${name} (see --help)`);
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (spec.boolean) value = 'true';
    else {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`--${name} needs a value`);
      value = next;
    }
    // Repeated values travel as one comma list, like the environment variable's.
    raw[name] = spec.repeatable && raw[name] !== undefined ? `${raw[name]},${value}` : value;
  }
  return raw;
}

function fromEnvironment(env: Readonly<Record<string, string | undefined>>): Raw {
  const raw: Raw = {};
  for (const o of OPTIONS) if (o.env && env[o.env] !== undefined && env[o.env] !== '') raw[o.flag] = env[o.env];
  return raw;
}

function parseBoolean(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off|)$/i.test(value)) return false;
  throw new ConfigError(`--${name} must be true or false, not '${value}'`);
}

function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw new ConfigError(`--${name} must be a whole number, not '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(`--${name} must be between ${min} and ${max}, not ${n}`);
  return n;
}

export function parseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`--base-url '${value}' is not an absolute URL (e.g. http://127.0.0.1:8000/api/v1/)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--base-url '${value}' must be an http:// or https:// URL (e.g. http://127.0.0.1:8000/api/v1/)`);
  if (url.search || url.hash) throw new ConfigError('--base-url must not carry a query or a fragment');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.toString();
}

/** A source option, parsed by the flows layer; its refusal is a configuration error. */
function parseSource<T>(parse: (value: string) => T, value: string): T {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof SourceError) throw new ConfigError(error.message);
    throw error;
  }
}

function parseClockHook(value: string): string {
  if (!isUrlOrTargetPath(value)) throw new ConfigError(`--clock-hook must be an http(s) URL or a path on the target, not '${value}'`);
  return value;
}

function parseContainerEnv(value: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--container-env takes KEY=VALUE, not '${pair}'`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

function parseContainer(raw: Raw): ContainerConfig | null {
  const image = raw.image;
  const dependents = ['container-port', 'container-env', 'wait-path'].filter((k) => raw[k] !== undefined);
  if (image === undefined) {
    if (dependents.length) throw new ConfigError(`--${dependents[0]} needs --image`);
    return null;
  }
  if (raw['base-url'] !== undefined) throw new ConfigError('--image and --base-url exclude each other: the container is the target');
  if (!/^[\w.\-/:@]+$/.test(image)) throw new ConfigError(`--image '${image}' is not an image reference`);
  const basePath = raw['base-path'] ?? '/api/v1/';
  const waitPath = raw['wait-path'] ?? null;
  for (const [flag, path] of [['base-path', basePath], ['wait-path', waitPath]] as const) {
    if (path !== null && !path.startsWith('/')) throw new ConfigError(`--${flag} must start with /, not '${path}'`);
  }
  return {
    image,
    port: parseInteger('container-port', raw['container-port'], 8000, 1, 65535),
    env: parseContainerEnv(raw['container-env']),
    waitPath,
    basePath: basePath.endsWith('/') ? basePath : `${basePath}/`,
  };
}

function parseOnly(value: string | undefined): Flow[] | null {
  if (value === undefined) return null;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new ConfigError('--only needs at least one flow');
  for (const n of names) if (!(FLOWS as readonly string[]).includes(n)) throw new ConfigError(`--only: unknown flow '${n}' (flows: ${FLOWS.join(', ')})`);
  return names as Flow[];
}

export interface ConfigSources {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory holding the `.env` file and against which relative paths resolve. */
  readonly cwd: string;
}

export function loadConfig(sources: ConfigSources): Config {
  const envFile = resolve(sources.cwd, '.env');
  const dotenv = existsSync(envFile) ? fromEnvironment(parseDotenv(readFileSync(envFile))) : {};
  const raw: Raw = { ...dotenv, ...fromEnvironment(sources.env), ...parseArgv(sources.argv) };
  const config: Config = {
    baseUrl: raw['base-url'] === undefined ? null : parseBaseUrl(raw['base-url']),
    otpSource: raw['otp-source'] === undefined ? null : parseSource(parseOtpSource, raw['otp-source']),
    provision: raw.provision === undefined ? null : parseSource(parseProvision, raw.provision),
    clockHook: raw['clock-hook'] === undefined ? null : parseClockHook(raw['clock-hook']),
    reportDir: resolve(sources.cwd, raw['report-dir'] ?? 'reports'),
    strict: parseBoolean('strict', raw.strict),
    seed: parseInteger('seed', raw.seed, Math.floor(Math.random() * 1_000_000), 0, 2 ** 31 - 1),
    timeoutMs: parseInteger('timeout', raw.timeout, 10_000, 100, 600_000),
    maxBodyBytes: parseInteger('max-body', raw['max-body'], 5 * 1024 * 1024, 1024, 1024 ** 3),
    concurrency: parseInteger('concurrency', raw.concurrency, 32, 1, 1024),
    only: parseOnly(raw.only),
    profile: raw.profile ?? 'tasklink',
    container: parseContainer(raw),
    baseline: raw.baseline === undefined ? null : resolve(sources.cwd, raw.baseline),
    writeBaseline: raw['write-baseline'] === undefined ? null : resolve(sources.cwd, raw['write-baseline']),
    strictBaseline: parseBoolean('strict-baseline', raw['strict-baseline']),
    quiet: parseBoolean('quiet', raw.quiet),
    // GitHub Actions sets these in every step; they are not options of ours.
    github: sources.env.GITHUB_ACTIONS === 'true' ? { stepSummary: sources.env.GITHUB_STEP_SUMMARY || null } : null,
    list: parseBoolean('list', raw.list),
    help: parseBoolean('help', raw.help),
    version: parseBoolean('version', raw.version),
  };
  if (config.strictBaseline && !config.baseline) throw new ConfigError('--strict-baseline needs --baseline');
  return Object.freeze(config);
}

export function helpText(): string {
  const lines = ['Usage: accounts-conformance [options]', '', 'Checks an accounts API against the TaskLink accounts contract.', '', 'Options:'];
  for (const o of OPTIONS) {
    const flag = `--${o.flag}${o.boolean ? '' : ' <value>'}`;
    lines.push(`  ${flag.padEnd(24)} ${o.help}${o.env ? ` [${o.env}]` : ''}`);
  }
  lines.push('', 'Exit codes: 0 no MUST requirement failed; 1 a MUST failed (or a SHOULD under --strict); 2 the run could not be made.');
  lines.push(
    '',
    'Subcommands:',
    '  doctor [options]         each mapped operation once, compared with the profile; names the keys to change (exit 1 where they differ)',
    '  compare OLD NEW          what is new, fixed and unchanged between two summary.json files',
    '  matrix [--out FILE] DIR… one HTML table of requirements × targets from report directories',
  );
  return lines.join('\n');
}
