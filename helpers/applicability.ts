/**
 * Which requirements a target profile can be checked for. A requirement whose operation or
 * field the profile declares absent is skipped as "not applicable", with the reason, never failed.
 */
import type { Flow, Requirement } from './catalogue.js';
import type { OperationId, TargetProfile } from './profile.js';

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
  'ACC-ENV-001': ['me', 'wallet'],
  'ACC-ENV-003': ['me'],
  'ACC-REF-002': ['me'],
  'ACC-LOG-005': ['me'],
  'ACC-OTP-011': ['resetConfirm'],
  'ACC-OTP-012': ['resetRequest'],
  'ACC-SES-003': ['resetRequest', 'resetConfirm'],
  'ACC-ENUM-001': ['resetRequest'],
  'ACC-ENUM-002': ['login'],
  'ACC-EXP-001': ['updateProfile'],
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

/** Why a requirement does not apply to a profile, or null when it does. */
export function notApplicable(req: Requirement, profile: TargetProfile): string | null {
  const ops = [...FLOW_NEEDS[req.flow], ...(REQUIREMENT_NEEDS[req.id] ?? [])];
  const missing = [...new Set(ops.filter((op) => !profile.operations[op]))];
  if (missing.length) return `the ${profile.name} profile has no ${missing.join(', ')} operation${missing.length > 1 ? 's' : ''}`;
  if (PHONE_REQUIREMENTS.has(req.id) && !profile.request.register?.phone) return `the ${profile.name} profile registers users without a phone number`;
  return null;
}
