/**
 * Target profiles: the operation map of an accounts API (paths, methods, wire field names,
 * where the answer keeps each value). Specs speak in operations and neutral names; only the
 * profile knows the wire. `tasklink` describes seed 000.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema, isSchemaName, schemaViolations, type SchemaRef } from './schemas.js';

export const OPERATION_IDS = [
  'register',
  'login',
  'refresh',
  'sendOtp',
  'verifyOtp',
  'me',
  'updateProfile',
  'changePassword',
  'updateLocation',
  'resetRequest',
  'resetVerify',
  'resetConfirm',
  'wallet',
  'logout',
] as const;
export type OperationId = (typeof OPERATION_IDS)[number];

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

export interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly auth: boolean;
  readonly body: 'json' | 'multipart' | 'none';
  /** The success status, or the statuses a dialect allows (seed 004's login: 200 or 201); 200 when not given. */
  readonly status?: number | readonly number[];
}

/** Kinds of refusal whose status differs between dialects (bad login: 401 or 400, ...). */
export const REFUSALS = ['invalid', 'badCredentials', 'unauthorized', 'notFound', 'methodNotAllowed', 'unsupportedMediaType'] as const;
export type Refusal = (typeof REFUSALS)[number];

export const DEFAULT_REFUSALS: Readonly<Record<Refusal, readonly number[]>> = {
  invalid: [400],
  badCredentials: [401],
  unauthorized: [401],
  notFound: [404],
  methodNotAllowed: [405],
  unsupportedMediaType: [415],
};

export type UserField =
  | 'id' | 'phone' | 'email' | 'phoneVerified' | 'emailVerified' | 'role' | 'rating' | 'tasksPosted'
  | 'tasksCompleted' | 'createdAt' | 'fullName' | 'image' | 'bio' | 'dateOfBirth' | 'gender' | 'username' | 'firstName' | 'lastName';

export type PrivilegedField = 'emailVerified' | 'phoneVerified' | 'rating' | 'tasksPosted' | 'tasksCompleted' | 'walletBalance';

export type ResponsePointer =
  | 'authData' | 'loginData' | 'authUser' | 'loginUser' | 'authTokens' | 'tokenAccess' | 'tokenRefresh' | 'refreshData' | 'refreshAccess'
  | 'refreshRefresh' | 'user' | 'wallet' | 'errors' | 'otpData' | 'otpUser' | 'resetToken';

/**
 * How a password reset goes:
 * - `code`: request a code for an identifier, then send identifier + code + new password (seed 000);
 * - `three-step`: request a code, trade identifier + code for a reset token (resetVerify), then
 *   send the token + new password (seed 004);
 * - `link`: request a mail carrying a uid and a token, then send uid + token + new password
 *   (djoser's reset_password / reset_password_confirm).
 */
export const RESET_STYLES = ['code', 'three-step', 'link'] as const;
export type ResetStyle = (typeof RESET_STYLES)[number];

/**
 * What an OTP proves:
 * - `verify`: a signed-in user verifies their email or phone (seed 000);
 * - `sign-in`: anyone sends a code to a phone, and the code signs in (seed 004).
 */
export const OTP_STYLES = ['verify', 'sign-in'] as const;
export type OtpStyle = (typeof OTP_STYLES)[number];

/** Which of a user's values the login's username field takes. */
export type LoginIdentifier = 'email' | 'phone' | 'username';

export interface TargetProfile {
  readonly name: string;
  readonly description: string;
  /** The seed contract the API implements (`seed-000`), which decides the level of seed-only rules. */
  readonly contract?: string;
  /** The API's framework, for framework-specific advice on warnings. */
  readonly framework?: string;
  /** Schemas of successful and error answers; null: not checked. */
  readonly envelope: { readonly success: SchemaRef | null; readonly error: SchemaRef | null };
  /** The operations the dialect has; an absent one is a capability it lacks. */
  readonly operations: Readonly<Partial<Record<OperationId, Operation>>>;
  /** Per operation: neutral field name → wire name (dotted for nested JSON / multipart names). */
  readonly request: Readonly<Partial<Record<OperationId, Readonly<Record<string, string>>>>>;
  readonly privileged: Readonly<Partial<Record<PrivilegedField, string>>>;
  /** JSON Pointers into answers; a missing one means the dialect's answer does not carry it. */
  readonly response: Readonly<Partial<Record<ResponsePointer, string>>>;
  /** JSON Pointers inside a user object. */
  readonly user: Readonly<Partial<Record<UserField, string>>>;
  readonly wallet: Readonly<Partial<Record<'id' | 'balance', string>>>;
  readonly schemas: Readonly<Record<'authData' | 'loginData' | 'user' | 'wallet' | 'refreshData', SchemaRef>>;
  /** Per operation: wire fields sent with a constant value on every call (a device type, an app id). */
  readonly constants?: Readonly<Partial<Record<OperationId, Readonly<Record<string, unknown>>>>>;
  /** The value the login's username field takes (default `email`, filled in by loadProfile). */
  readonly loginWith: LoginIdentifier;
  /** How a password reset goes (default `code`). */
  readonly resetStyle: ResetStyle;
  /** What an OTP proves (default `verify`). */
  readonly otpStyle: OtpStyle;
  readonly values: {
    readonly channel: Readonly<Record<'email' | 'phone', string>>;
    readonly roles: readonly string[];
    readonly genders: readonly string[];
  };
  readonly rules: { readonly phoneDigits: number; readonly phonePrefix: string; readonly minPasswordLength: number };
  /** How an access token is presented; default `Authorization: Bearer <token>`. */
  readonly auth?: { readonly header: string; readonly scheme?: string | null };
  /** false: registration answers without tokens (djoser); default true. */
  readonly registerIssuesTokens?: boolean;
  /** Statuses of each kind of refusal, where the dialect differs from the defaults. */
  readonly refusals?: Readonly<Partial<Record<Refusal, readonly number[]>>>;
}

export function refusalStatuses(profile: TargetProfile, kind: Refusal): readonly number[] {
  return profile.refusals?.[kind] ?? DEFAULT_REFUSALS[kind];
}

/** How a profile's flows go when it does not say: seed 000's ways. */
const STYLE_DEFAULTS: Pick<TargetProfile, 'loginWith' | 'resetStyle' | 'otpStyle'> = { loginWith: 'email', resetStyle: 'code', otpStyle: 'verify' };

export const PROFILE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'profiles');

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

/**
 * Loads a shipped profile by name, or a profile file by path, resolves `extends`, and validates
 * the result against schemas/target-profile.json.
 */
export function loadProfile(nameOrPath: string, cwd = process.cwd()): TargetProfile {
  const path = profilePath(nameOrPath, cwd);
  const merged = resolveExtends(path, []);
  const problems = schemaViolations('target-profile', merged, '');
  if (problems.length) throw new ProfileError(`profile ${path}: ${problems.slice(0, 3).join('; ')}`);
  checkSchemas(merged, path);
  return Object.freeze({ ...STYLE_DEFAULTS, ...merged }) as unknown as TargetProfile;
}

/** The operations a profile has, in the suite's order. */
export function operationsOf(profile: TargetProfile): OperationId[] {
  return OPERATION_IDS.filter((op) => profile.operations[op] !== undefined);
}

/** Reads a JSON Pointer (RFC 6901); undefined when any step is missing. */
export function pointer(value: unknown, ptr: string | undefined): unknown {
  if (ptr === undefined) return undefined;
  if (ptr === '' || ptr === '/') return value;
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
