/**
 * Target profiles: the operation map of an accounts API (paths, methods, wire field names,
 * where the answer keeps each value). Specs speak in operations and neutral names; only the
 * profile knows the wire. `tasklink` describes seed 000.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { OPERATION_IDS, type OperationId, type ProfileDocument, type Refusal } from './profile-document.js';
import { compileSchema, isSchemaName, schemaViolations } from './schemas.js';
import { registerSecret } from './mask.js';
import { packageRoot } from '../package-root.js';
import { cookieNamed } from './cookies.js';

// The profile's types and value lists are generated from schemas/target-profile.json (npm run gen:types).
export {
  OPERATION_IDS,
  OTP_STYLES,
  REFUSALS,
  RESET_STYLES,
  type LoginIdentifier,
  type Operation,
  type OperationId,
  type OtpStyle,
  type PrivilegedField,
  type Refusal,
  type ResetStyle,
  type ResponsePointer,
  type UserField,
} from './profile-document.js';

/**
 * The neutral request fields each operation knows. A profile maps some of them to wire names;
 * a check that sends a field is not applicable where the profile does not map it, and a profile
 * that names a field outside this list is refused (a typo such as `emial`).
 */
export const REQUEST_FIELDS = {
  register: ['email', 'username', 'password', 'passwordConfirm', 'fullName', 'role', 'firstName', 'lastName', 'phone'],
  login: ['username', 'password'],
  refresh: ['refresh'],
  sendOtp: ['phone', 'channel', 'email'],
  verifyOtp: ['phone', 'code', 'channel', 'email'],
  me: [],
  updateProfile: ['email', 'role', 'fullName', 'bio', 'dateOfBirth', 'gender', 'image', 'firstName', 'lastName', 'username', 'phone'],
  changePassword: ['oldPassword', 'newPassword', 'newPasswordConfirm'],
  updateLocation: ['latitude', 'longitude'],
  resetRequest: ['identifier'],
  resetVerify: ['identifier', 'code'],
  resetConfirm: ['uid', 'token', 'newPassword', 'newPasswordConfirm', 'resetToken', 'identifier', 'code'],
  wallet: [],
  logout: ['refresh'],
} as const satisfies Readonly<Record<OperationId, readonly string[]>>;
export type RequestField<Op extends OperationId = OperationId> = (typeof REQUEST_FIELDS)[Op][number];

/** The status of each kind of refusal where neither the profile nor the operation says otherwise. */
export const DEFAULT_REFUSALS: Readonly<Record<Refusal, readonly number[]>> = {
  invalid: [400],
  badCredentials: [401],
  unauthorized: [401],
  notFound: [404],
  methodNotAllowed: [405],
  unsupportedMediaType: [415],
};

/** The keys loadProfile fills in where the file is silent: seed 000's ways, and no fields of the kind. */
type Defaulted = 'loginWith' | 'resetStyle' | 'otpStyle' | 'privileged' | 'wallet';

/**
 * A loaded profile: `extends` resolved, validated against schemas/target-profile.json (whose
 * generated type it is), the defaults filled in.
 */
export type TargetProfile = Omit<ProfileDocument, '$schema' | 'extends' | Defaulted> & { readonly [K in Defaulted]-?: NonNullable<ProfileDocument[K]> };

/** The statuses an operation answers on success: its own `status` (one or a list), else 200. */
export function successStatuses(profile: TargetProfile, op: OperationId | undefined): readonly number[] {
  return [(op === undefined ? undefined : profile.operations[op]?.status) ?? 200].flat();
}

/**
 * The statuses of a kind of refusal: the operation's own where it has them, else the profile's,
 * else the defaults.
 */
export function refusalStatuses(profile: TargetProfile, kind: Refusal, op?: OperationId): readonly number[] {
  const own = op === undefined ? undefined : profile.operations[op]?.refusals?.[kind];
  return own ?? profile.refusals?.[kind] ?? DEFAULT_REFUSALS[kind];
}

const DEFAULTS: Pick<TargetProfile, Defaulted> = { loginWith: 'email', resetStyle: 'code', otpStyle: 'verify', privileged: {}, wallet: {} };

export const PROFILE_DIR = join(packageRoot(import.meta.url), 'profiles');

/** A profile that cannot be used: the message names the file and the offending key. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep merge for `extends`: objects merge key by key, anything else replaces, null removes. */
export function mergeProfiles(base: Json, override: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = mergeProfiles(out[key] as Json, value);
    else out[key] = value;
  }
  return out;
}

export function profilePath(nameOrPath: string, relativeTo: string): string {
  if (/[\\/]|\.json$/.test(nameOrPath)) return resolve(relativeTo, nameOrPath);
  const shipped = join(PROFILE_DIR, `${nameOrPath}.json`);
  if (!existsSync(shipped)) {
    const names = readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    throw new ProfileError(`no profile named '${nameOrPath}' (shipped: ${names.join(', ')}; or give a path to a profile file)`);
  }
  return shipped;
}

function readProfileFile(path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ProfileError(`cannot read profile ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!isObject(value)) throw new Error('the file is not a JSON object');
    return value;
  } catch (e) {
    throw new ProfileError(`profile ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** A schema given as a file (a path, or a name ending in .json) rather than a shipped schema's name. */
function isSchemaFile(value: string): boolean {
  return /[\\/]|\.json$/.test(value);
}

/** Schema files named in a profile are relative to that profile's file, whichever profile extends it. */
function resolveSchemaFiles(own: Json, dir: string): Json {
  const out = { ...own };
  for (const key of ['envelope', 'schemas'] as const) {
    if (!isObject(own[key])) continue;
    out[key] = Object.fromEntries(Object.entries(own[key]).map(([k, v]) => [k, typeof v === 'string' && isSchemaFile(v) ? resolve(dir, v) : v]));
  }
  return out;
}

/** Every schema a profile names is a shipped one or a team's file that compiles. */
function checkSchemas(profile: Json, path: string): void {
  for (const key of ['envelope', 'schemas'] as const) {
    for (const [name, ref] of Object.entries(isObject(profile[key]) ? profile[key] : {})) {
      if (typeof ref !== 'string') continue;
      if (!isAbsolute(ref)) {
        if (!isSchemaName(ref)) throw new ProfileError(`profile ${path}: /${key}/${name}: no shipped schema named '${ref}' (give a path to your own schema file, relative to the profile)`);
        continue;
      }
      try {
        compileSchema(ref);
      } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0];
        throw new ProfileError(`profile ${path}: /${key}/${name}: cannot use the schema ${ref}: ${reason}`);
      }
    }
  }
}

function resolveExtends(path: string, seen: readonly string[]): Json {
  if (seen.includes(path)) throw new ProfileError(`profile ${path}: extends forms a cycle (${[...seen, path].join(' → ')})`);
  const own = resolveSchemaFiles(readProfileFile(path), dirname(path));
  if (own.extends === undefined) return own;
  if (typeof own.extends !== 'string') throw new ProfileError(`profile ${path}: /extends must be a profile name or path`);
  const base = resolveExtends(profilePath(own.extends, dirname(path)), [...seen, path]);
  const { extends: _parent, ...rest } = own;
  return mergeProfiles(base, rest);
}

/** The merged profile conforms to schemas/target-profile.json, hence to its generated type. */
function assertProfileDocument(merged: Json, path: string): asserts merged is Json & ProfileDocument {
  const problems = schemaViolations('target-profile', merged, '');
  if (problems.length) throw new ProfileError(`profile ${path}: ${problems.slice(0, 3).join('; ')}`);
}

/**
 * Neutral names are the suite's vocabulary: a request field outside an operation's (a typo such
 * as `emial`) would map nothing, and the checks sending that field would silently not apply.
 */
function checkRequestFields(profile: ProfileDocument, path: string): void {
  for (const op of OPERATION_IDS) {
    const known: readonly string[] = REQUEST_FIELDS[op];
    for (const field of Object.keys(profile.request[op] ?? {})) {
      if (known.includes(field)) continue;
      throw new ProfileError(`profile ${path}: /request/${op}/${field}: ${op} has no neutral field '${field}' (known: ${known.join(', ') || 'none'})`);
    }
  }
}

/** Where a token may travel in a cookie (`cookie:<name>`): the refresh token, sent to refresh and logout, read from auth and refresh answers. */
const COOKIE_REQUEST: readonly string[] = ['refresh.refresh', 'logout.refresh'];
const COOKIE_RESPONSE: readonly string[] = ['tokenRefresh', 'refreshRefresh'];

function checkCookies(profile: ProfileDocument, path: string): void {
  for (const op of OPERATION_IDS) {
    for (const [field, wire] of Object.entries(profile.request[op] ?? {})) {
      if (cookieNamed(wire) === undefined || COOKIE_REQUEST.includes(`${op}.${field}`)) continue;
      throw new ProfileError(`profile ${path}: /request/${op}/${field}: only the refresh token travels in a cookie (${COOKIE_REQUEST.join(', ')})`);
    }
  }
  for (const [at, value] of Object.entries(profile.response)) {
    if (cookieNamed(value) === undefined || COOKIE_RESPONSE.includes(at)) continue;
    throw new ProfileError(`profile ${path}: /response/${at}: only the refresh token is read from a cookie (${COOKIE_RESPONSE.join(', ')})`);
  }
}

/**
 * Loads a shipped profile by name, or a profile file by path, resolves `extends`, and validates
 * the result against schemas/target-profile.json.
 */
const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A profile value with its `${NAME}` references replaced by the environment's values. Each value
 * drawn from the environment (an application key) is a secret: masked in every report.
 */
export function expandEnv(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(ENV_REFERENCE, (_whole, name: string) => {
    const found = env[name];
    if (found === undefined) throw new ProfileError(`the environment variable ${name} is not set`);
    return registerSecret(found);
  });
}

/** Every `${NAME}` a profile's headers, constants and paths name is set, or the key that names it is reported. */
function checkEnv(profile: Json, path: string): void {
  const places: [string, unknown][] = [['/headers', profile.headers], ['/constants', profile.constants]];
  for (const [op, operation] of Object.entries(isObject(profile.operations) ? profile.operations : {})) {
    if (isObject(operation)) places.push([`/operations/${op}/headers`, operation.headers], [`/operations/${op}/path`, operation.path]);
  }
  const walk = (at: string, value: unknown): void => {
    if (typeof value === 'string') {
      try {
        expandEnv(value);
      } catch (e) {
        throw new ProfileError(`profile ${path}: ${at}: ${(e as Error).message}`);
      }
    } else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) walk(`${at}/${k}`, v);
    }
  };
  for (const [at, value] of places) walk(at, value);
}

export function loadProfile(nameOrPath: string, cwd = process.cwd()): TargetProfile {
  const path = profilePath(nameOrPath, cwd);
  const merged = resolveExtends(path, []);
  assertProfileDocument(merged, path);
  checkRequestFields(merged, path);
  checkCookies(merged, path);
  checkSchemas(merged, path);
  checkEnv(merged, path);
  const { $schema: _schema, extends: _parent, ...document } = merged;
  return Object.freeze({ ...DEFAULTS, ...document });
}

/** The operations a profile has, in the suite's order. */
export function operationsOf(profile: TargetProfile): OperationId[] {
  return OPERATION_IDS.filter((op) => profile.operations[op] !== undefined);
}

/** Reads a JSON Pointer (RFC 6901); undefined when any step is missing. */
export function pointer(value: unknown, ptr: string | undefined): unknown {
  if (ptr === undefined) return undefined;
  if (ptr === '' || ptr === '/') return value;
  // Not a JSON Pointer (a cookie the profile names, `cookie:<name>`): nothing in the body.
  if (!ptr.startsWith('/')) return undefined;
  let current = value;
  for (const raw of ptr.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The dotted wire name as a JSON Pointer: `profile.full_name` → `/profile/full_name`. */
export function dottedToPointer(dotted: string): string {
  return `/${dotted.split('.').join('/')}`;
}
