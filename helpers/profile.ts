/**
 * Target profiles: the operation map of an accounts API (paths, methods, wire field names,
 * where the answer keeps each value). Specs speak in operations and neutral names; only the
 * profile knows the wire. `tasklink` describes seed 000.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchemaName } from './schemas.js';

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
  'resetConfirm',
  'wallet',
] as const;
export type OperationId = (typeof OPERATION_IDS)[number];

export interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly auth: boolean;
  readonly body: 'json' | 'multipart' | 'none';
  /** The success status; 200 when not given. */
  readonly status?: number;
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
  | 'tasksCompleted' | 'createdAt' | 'fullName' | 'image' | 'bio' | 'dateOfBirth' | 'gender';

export type PrivilegedField = 'emailVerified' | 'phoneVerified' | 'rating' | 'tasksPosted' | 'tasksCompleted' | 'walletBalance';

export type ResponsePointer =
  | 'authData' | 'authUser' | 'authTokens' | 'tokenAccess' | 'tokenRefresh' | 'refreshData' | 'refreshAccess'
  | 'refreshRefresh' | 'user' | 'wallet' | 'errors';

export interface TargetProfile {
  readonly name: string;
  readonly description: string;
  readonly envelope: 'tasklink';
  readonly operations: Readonly<Record<OperationId, Operation>>;
  /** Per operation: neutral field name → wire name (dotted for nested JSON / multipart names). */
  readonly request: Readonly<Partial<Record<OperationId, Readonly<Record<string, string>>>>>;
  readonly privileged: Readonly<Record<PrivilegedField, string>>;
  readonly response: Readonly<Record<ResponsePointer, string>>;
  /** JSON Pointers inside a user object. */
  readonly user: Readonly<Record<UserField, string>>;
  readonly wallet: Readonly<Record<'id' | 'balance', string>>;
  readonly schemas: Readonly<Record<'authData' | 'user' | 'wallet' | 'refreshData', SchemaName>>;
  readonly values: {
    readonly channel: Readonly<Record<'email' | 'phone', string>>;
    readonly roles: readonly string[];
    readonly genders: readonly string[];
  };
  readonly rules: { readonly phoneDigits: number; readonly phonePrefix: string; readonly minPasswordLength: number };
  /** Statuses of each kind of refusal, where the dialect differs from the defaults. */
  readonly refusals?: Readonly<Partial<Record<Refusal, readonly number[]>>>;
}

export function refusalStatuses(profile: TargetProfile, kind: Refusal): readonly number[] {
  return profile.refusals?.[kind] ?? DEFAULT_REFUSALS[kind];
}

const PROFILE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'profiles');

export function loadProfile(name: string): TargetProfile {
  return JSON.parse(readFileSync(join(PROFILE_DIR, `${name}.json`), 'utf8')) as TargetProfile;
}

/** Reads a JSON Pointer (RFC 6901); undefined when any step is missing. */
export function pointer(value: unknown, ptr: string): unknown {
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
