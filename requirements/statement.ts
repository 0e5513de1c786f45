/**
 * Statements in the profile's own language. A catalogue statement is dialect-neutral; its
 * placeholders are rendered here, with the profile's wire names and statuses where a profile is
 * given, in neutral words where none is (the README matrix):
 * - `{invalid}`, `{unauthorized}`, `{badCredentials}`, `{notFound}`, `{methodNotAllowed}`,
 *   `{unsupportedMediaType}`: "refused with 400" / "refused as invalid input";
 * - `{ok:OP}`: "answers 201" / "succeeds";
 * - `{op:OP}`: "GET users/me/" / "the current-user operation";
 * - `{error:OP.FIELD}`: "naming errors.email" / "naming the email field";
 * - `{field:OP.FIELD}`: the wire name / "the FIELD field";
 * - `{user:FIELD}`: the user's wire member / "the FIELD of the user";
 * - `{rule:NAME}`: the profile's rule value / neutral words;
 * - `{scheme}`: the auth scheme ("Bearer") / "the API's scheme".
 */
import { refusalStatuses, successStatuses, type OperationId, type Refusal, type TargetProfile, type UserField } from '../helpers/wire/profile.js';
import type { Framework, Level, Requirement } from './model.js';

const REFUSAL_WORDS: Readonly<Record<Refusal, string>> = {
  invalid: 'refused as invalid input',
  badCredentials: 'refused as bad credentials',
  unauthorized: 'refused as unauthenticated',
  notFound: 'answered as not found',
  methodNotAllowed: 'refused as a method not allowed',
  unsupportedMediaType: 'refused as an unsupported media type',
};

const OPERATION_WORDS: Readonly<Record<OperationId, string>> = {
  register: 'registration',
  login: 'login',
  refresh: 'the token refresh',
  sendOtp: 'sending a code',
  verifyOtp: 'presenting a code',
  me: 'the current-user operation',
  updateProfile: 'the profile update',
  changePassword: 'the password change',
  updateLocation: 'the location update',
  resetRequest: 'the reset request',
  resetVerify: 'the reset-code check',
  resetConfirm: 'the reset',
  wallet: 'the wallet',
  logout: 'logout',
};

const RULE_WORDS: Readonly<Record<string, string>> = {
  phoneDigits: 'the required number of',
  phonePrefix: 'the required prefix',
  minPasswordLength: 'the minimum length',
};

const either = (statuses: readonly number[]) => statuses.join(' or ');

/** A JSON Pointer shown as a dotted path: `/errors` → `errors`, `/profile/full_name` → `profile.full_name`. */
function dotted(ptr: string): string {
  return ptr.split('/').filter(Boolean).join('.');
}

function render(token: string, profile: TargetProfile | null): string {
  const [kind, arg = ''] = token.split(':') as [string, string | undefined];
  if (kind in REFUSAL_WORDS) {
    const refusal = kind as Refusal;
    return profile ? `refused with ${either(refusalStatuses(profile, refusal))}` : REFUSAL_WORDS[refusal];
  }
  const [op, field = ''] = arg.split('.') as [OperationId, string | undefined];
  switch (kind) {
    case 'ok':
      return profile ? `answers ${either(successStatuses(profile, op))}` : 'succeeds';
    case 'op': {
      const operation = profile?.operations[op];
      return operation ? `${operation.method} ${operation.path}` : OPERATION_WORDS[op];
    }
    case 'error': {
      if (!profile) return `naming the ${field} field`;
      if (profile.response.errors === undefined) return 'in its error answer';
      const wire = profile.request[op]?.[field] ?? field;
      const root = dotted(profile.response.errors);
      return `naming ${root ? `${root}.` : ''}${wire}`;
    }
    case 'field':
      return profile?.request[op]?.[field] ?? `the ${field} field`;
    case 'user': {
      const ptr = profile?.user[arg as UserField];
      return ptr === undefined ? `the user's ${arg}` : dotted(ptr);
    }
    case 'rule': {
      const value = profile?.rules[arg as keyof TargetProfile['rules']];
      return value === undefined ? (RULE_WORDS[arg] ?? arg) : String(value);
    }
    case 'scheme': {
      if (!profile) return "the API's scheme";
      const { header = 'Authorization', scheme = 'Bearer' } = profile.auth ?? {};
      return scheme ?? `the ${header} header`;
    }
    default:
      return `{${token}}`;
  }
}

/** The requirement's statement, in the profile's words (neutral words without a profile). */
export function statementOf(req: Pick<Requirement, 'title'>, profile: TargetProfile | null = null): string {
  return req.title.replace(/\{([^}]+)\}/g, (_m, token: string) => render(token, profile));
}

/** The seeds a requirement's source names (`seed-000`, `seed-004`). */
function seedsOf(req: Requirement): string[] {
  return [...req.source.matchAll(/seed-\d{3}/g)].map((m) => m[0]);
}

/**
 * The requirement's level for a profile: its level where the profile implements a seed its
 * source names, or where it names no seed-only MUST; otherwise the level of its other source.
 */
export function levelFor(req: Requirement, profile: TargetProfile | null): Level {
  if (!profile || req.levelElsewhere === undefined) return req.level;
  const contract = profile.contract;
  return contract !== undefined && seedsOf(req).includes(contract) ? req.level : req.levelElsewhere;
}

/** The advice of a warning, with the hint for the profile's framework where there is one. */
export function adviceFor(req: Requirement, profile: TargetProfile | null): string | undefined {
  const framework = profile?.framework as Framework | undefined;
  const hint = framework ? req.hints?.[framework] : undefined;
  if (!req.advice && !hint) return undefined;
  return [req.advice, hint ? `${framework}: ${hint}` : undefined].filter(Boolean).join(' ');
}
