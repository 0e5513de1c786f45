/**
 * Which requirements a target profile can be checked for. A requirement whose operation or
 * field the profile declares absent is skipped as "not applicable", with the reason, never failed.
 */
import type { Flow, Requirement } from './catalogue.js';
import type { OperationId, TargetProfile, UserField } from './profile.js';

const FLOW_NEEDS: Readonly<Record<Flow, readonly OperationId[]>> = {
  envelope: ['register', 'login'],
  register: ['register'],
  login: ['register', 'login'],
  refresh: ['register', 'refresh'],
  auth: ['register'],
  otp: ['register', 'sendOtp', 'verifyOtp'],
  me: ['register', 'me'],
  profile: ['register', 'updateProfile', 'me'],
  password: ['register', 'changePassword', 'login'],
  reset: ['register', 'resetRequest', 'resetConfirm', 'login'],
  wallet: ['register', 'wallet'],
  location: ['register', 'updateLocation'],
  tokens: ['register', 'me'],
  sessions: ['register', 'changePassword', 'me', 'refresh'],
  enumeration: ['register'],
  exposure: ['register', 'login', 'me'],
  uploads: ['register', 'updateProfile'],
  robustness: ['register'],
  races: ['register'],
  throttling: ['register', 'login'],
  expiry: ['register', 'me'],
};

/** Extra operations some requirements need beyond their flow's. */
const REQUIREMENT_NEEDS: Readonly<Record<string, readonly OperationId[]>> = {
  'ACC-ENV-001': ['me'],
  'ACC-ENV-003': ['me'],
  'ACC-REF-002': ['me'],
  'ACC-LOG-005': ['me'],
  'ACC-OTP-011': ['resetConfirm'],
  'ACC-OTP-012': ['resetRequest'],
  'ACC-SES-003': ['resetRequest', 'resetConfirm'],
  'ACC-ENUM-001': ['resetRequest'],
  'ACC-ENUM-002': ['login'],
  'ACC-EXP-002': ['wallet', 'updateProfile'],
  'ACC-RACE-002': ['sendOtp', 'verifyOtp'],
  'ACC-RACE-003': ['resetRequest', 'resetConfirm'],
  'ACC-RACE-004': ['refresh'],
  'ACC-THR-003': ['sendOtp'],
  'ACC-THR-004': ['resetRequest'],
  'ACC-CLK-002': ['sendOtp', 'verifyOtp', 'login'],
  'ACC-CLK-003': ['login'],
  'ACC-WAL-002': ['wallet'],
};

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

/** Why a requirement does not apply to a profile, or null when it does. */
export function notApplicable(req: Requirement, profile: TargetProfile): string | null {
  const ops = [...FLOW_NEEDS[req.flow], ...(REQUIREMENT_NEEDS[req.id] ?? [])];
  const missing = [...new Set(ops.filter((op) => !profile.operations[op]))];
  if (missing.length) return `the ${profile.name} profile has no ${missing.join(', ')} operation${missing.length > 1 ? 's' : ''}`;
  if (PHONE_REQUIREMENTS.has(req.id) && !profile.request.register?.phone) return `the ${profile.name} profile registers users without a phone number`;
  const fields = (USER_FIELD_NEEDS[req.id] ?? []).filter((f) => profile.user[f] === undefined);
  if (fields.length) return `the ${profile.name} profile's user has no ${fields.join(', ')}`;
  const request = REQUEST_FIELD_NEEDS[req.id];
  if (request && !profile.request[request[0]]?.[request[1]]) return `the ${profile.name} profile's ${request[0]} takes no ${request[1]}`;
  if (req.id === 'ACC-REG-016' && Object.keys(profile.privileged).length === 0) return `the ${profile.name} profile names no fields a client must not set`;
  return null;
}
