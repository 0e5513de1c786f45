/**
 * Which requirements a target profile can be checked for. A requirement whose operation or
 * field the profile declares absent is skipped as "not applicable", with the reason, never failed.
 */
import type { Flow, Requirement } from './catalogue.js';
import type { OperationId, OtpStyle, ResetStyle, TargetProfile, UserField } from '../helpers/wire/profile.js';

/**
 * `users`: the check needs accounts of its own, made by the register operation or, for an API
 * without one, by a provisioning source (--provision).
 */
type Need = OperationId | 'users';

const FLOW_NEEDS: Readonly<Record<Flow, readonly Need[]>> = {
  envelope: ['login'],
  register: ['register'],
  login: ['users', 'login'],
  refresh: ['users', 'refresh'],
  auth: ['users'],
  otp: ['sendOtp', 'verifyOtp'],
  me: ['users', 'me'],
  profile: ['users', 'updateProfile', 'me'],
  password: ['users', 'changePassword', 'login'],
  reset: ['users', 'resetRequest', 'resetConfirm', 'login'],
  wallet: ['users', 'wallet'],
  location: ['users', 'updateLocation'],
  logout: ['users', 'logout', 'refresh'],
  tokens: ['users', 'me'],
  sessions: ['users', 'changePassword', 'me', 'refresh'],
  enumeration: ['users'],
  exposure: ['users', 'login', 'me'],
  uploads: ['users', 'updateProfile'],
  robustness: ['users'],
  races: ['users'],
  throttling: ['users', 'login'],
  expiry: ['users', 'me'],
};

/** Extra operations some requirements need beyond their flow's. */
const REQUIREMENT_NEEDS: Readonly<Record<string, readonly Need[]>> = {
  'ACC-OTP-003': ['users'],
  'ACC-OTP-004': ['users', 'me'],
  'ACC-OTP-005': ['users', 'me'],
  'ACC-OTP-006': ['users'],
  'ACC-OTP-007': ['users'],
  'ACC-OTP-008': ['users', 'me'],
  'ACC-OTP-011': ['users', 'resetConfirm'],
  'ACC-OTP-012': ['users'],
  'ACC-RST-009': ['resetVerify'],
  'ACC-RST-010': ['resetVerify'],
  'ACC-ROB-001': ['register'],
  'ACC-ROB-002': ['register'],
  'ACC-ROB-003': ['register'],
  'ACC-RACE-001': ['register'],
  'ACC-EXP-002': ['register', 'wallet', 'updateProfile'],
  'ACC-ENV-001': ['users'],
  'ACC-ENV-003': ['me'],
  'ACC-REF-002': ['me'],
  'ACC-LOG-005': ['me'],
  'ACC-SES-003': ['resetRequest', 'resetConfirm'],
  'ACC-ENUM-001': ['resetRequest'],
  'ACC-ENUM-002': ['login'],
  'ACC-RACE-002': ['sendOtp', 'verifyOtp'],
  'ACC-RACE-003': ['resetRequest', 'resetConfirm'],
  'ACC-RACE-004': ['refresh'],
  'ACC-THR-003': ['sendOtp'],
  'ACC-THR-004': ['resetRequest'],
  'ACC-CLK-002': ['sendOtp', 'verifyOtp', 'login'],
  'ACC-CLK-003': ['login'],
  'ACC-WAL-002': ['wallet'],
};

/** Requirements that hold for some ways of resetting a password or of using an OTP only. */
const STYLE_NEEDS: Readonly<Record<string, { readonly reset?: readonly ResetStyle[]; readonly otp?: readonly OtpStyle[] }>> = {
  'ACC-RST-009': { reset: ['three-step'] },
  'ACC-RST-010': { reset: ['three-step'] },
  'ACC-OTP-011': { reset: ['code', 'three-step'], otp: ['verify'] },
  ...Object.fromEntries(['001', '002', '003', '004', '005', '006', '007', '008'].map((n) => [`ACC-OTP-${n}`, { otp: ['verify'] as const }])),
  ...Object.fromEntries(['013', '014', '015', '016', '017', '018'].map((n) => [`ACC-OTP-${n}`, { otp: ['sign-in'] as const }])),
  'ACC-RACE-002': { otp: ['verify'] },
  'ACC-THR-003': { otp: ['verify'] },
  'ACC-CLK-002': { otp: ['verify'] },
};

const RESET_STYLE_WORDS: Readonly<Record<ResetStyle, string>> = {
  code: 'resets a password with identifier, code and new password in one call',
  'three-step': 'resets a password in three steps, through a reset token',
  link: 'resets a password through an emailed uid and token, with no code',
};

const OTP_STYLE_WORDS: Readonly<Record<OtpStyle, string>> = {
  verify: "uses codes to verify a signed-in user's email or phone, not to sign in",
  'sign-in': 'uses codes to sign in by phone, not to verify a signed-in user',
};

/** Requirements about the login identifier. */
const LOGIN_NEEDS: Readonly<Record<string, 'email' | 'username'>> = { 'ACC-LOG-002': 'email', 'ACC-LOG-006': 'username' };

/** Requirements about the phone number: they need a phone field at registration. */
const PHONE_REQUIREMENTS = new Set(['ACC-REG-006', 'ACC-REG-007', 'ACC-REG-008', 'ACC-REG-015', 'ACC-LOG-001', 'ACC-OTP-002', 'ACC-OTP-005', 'ACC-RST-001']);

/** User fields (pointers into the dialect's user) some requirements need. */
const USER_FIELD_NEEDS: Readonly<Record<string, readonly UserField[]>> = {
  'ACC-REG-003': ['phoneVerified', 'emailVerified'],
  'ACC-REG-004': ['fullName'],
  'ACC-REG-005': ['role'],
  'ACC-REG-016': ['emailVerified', 'phoneVerified', 'rating', 'tasksPosted', 'tasksCompleted'],
  'ACC-EXP-002': ['tasksPosted'],
};

/** Requirements about fields a client sends: they need the dialect to have the field. */
const REQUEST_FIELD_NEEDS: Readonly<Record<string, readonly [OperationId, string]>> = {
  'ACC-REG-012': ['register', 'passwordConfirm'],
  'ACC-REG-013': ['register', 'role'],
  'ACC-REG-016': ['register', 'role'],
};

/** What the run knows beyond the profile: whether a provisioning source makes users. */
export interface RunFacts {
  readonly provisioning: boolean;
}

/** Why a requirement does not apply to a profile, or null when it does. */
export function notApplicable(req: Requirement, profile: TargetProfile, facts: RunFacts = { provisioning: false }): string | null {
  const style = STYLE_NEEDS[req.id];
  const { resetStyle, otpStyle, loginWith } = profile;
  if (style?.reset && !style.reset.includes(resetStyle)) return `the ${profile.name} profile ${RESET_STYLE_WORDS[resetStyle]}`;
  if (style?.otp && !style.otp.includes(otpStyle)) return `the ${profile.name} profile ${OTP_STYLE_WORDS[otpStyle]}`;
  const needs = [...FLOW_NEEDS[req.flow], ...(REQUIREMENT_NEEDS[req.id] ?? [])];
  const missing = [...new Set(needs.filter((op): op is OperationId => op !== 'users' && !profile.operations[op]))];
  if (missing.length) return `the ${profile.name} profile has no ${missing.join(', ')} operation${missing.length > 1 ? 's' : ''}`;
  if (req.flow === 'auth' && !Object.values(profile.operations).some((op) => op?.auth)) return `the ${profile.name} profile has no operation that needs a token`;
  if (needs.includes('users') && !profile.operations.register && !facts.provisioning) {
    return `the ${profile.name} profile has no register operation and no provisioning source (--provision) makes users`;
  }
  const login = LOGIN_NEEDS[req.id];
  if (login && login !== loginWith) return `the ${profile.name} profile logs in by ${loginWith}`;
  if (PHONE_REQUIREMENTS.has(req.id) && !profile.request.register?.phone) return `the ${profile.name} profile registers users without a phone number`;
  const fields = (USER_FIELD_NEEDS[req.id] ?? []).filter((f) => profile.user[f] === undefined);
  if (fields.length) return `the ${profile.name} profile's user has no ${fields.join(', ')}`;
  const request = REQUEST_FIELD_NEEDS[req.id];
  if (request && !profile.request[request[0]]?.[request[1]]) return `the ${profile.name} profile's ${request[0]} takes no ${request[1]}`;
  if (req.id === 'ACC-REG-016' && Object.keys(profile.privileged).length === 0) return `the ${profile.name} profile names no fields a client must not set`;
  return null;
}
