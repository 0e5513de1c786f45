/**
 * Which requirements a target can be checked for, computed from each requirement's `needs`
 * alone. A requirement whose operation, field, style or capability the profile lacks is skipped
 * as "not applicable", with the reason, never failed; one that needs a code source or the clock
 * hook the run lacks is skipped with that kind of reason.
 */
import type { OperationId, OtpStyle, ResetStyle, TargetProfile } from '../helpers/wire/profile.js';
import type { Probe, SkipKind } from '../helpers/outcome.js';
import type { Capability, Needs, RequestFields, Requirement } from './model.js';

/** What the run knows beyond the profile. */
export interface RunFacts {
  /** A provisioning source makes users (--provision). */
  readonly provisioning: boolean;
  /** How codes are read: none, a fixed code from the configuration, or the server's own. */
  readonly codes?: 'none' | 'fixed' | 'real';
  /** The target's clock hook is configured. */
  readonly clock?: boolean;
}

export interface Unmet {
  readonly kind: Extract<SkipKind, 'not-applicable' | 'no-code-source' | 'no-clock'>;
  readonly reason: string;
}

const RESET_STYLE_WORDS: Readonly<Record<ResetStyle, string>> = {
  code: 'resets a password with identifier, code and new password in one call',
  'three-step': 'resets a password in three steps, through a reset token',
  link: 'resets a password through an emailed uid and token, with no code',
  token: 'resets a password through one emailed token, with no code',
};

const OTP_STYLE_WORDS: Readonly<Record<OtpStyle, string>> = {
  verify: "uses codes to verify a signed-in user's email or phone, not to sign in",
  'sign-in': 'uses codes to sign in by phone, not to verify a signed-in user',
};

/** The fields each reset style sends, step by step. */
const RESET_STYLE_FIELDS: Readonly<Record<ResetStyle, RequestFields>> = {
  code: { resetRequest: ['identifier'], resetConfirm: ['identifier', 'code', 'newPassword'] },
  'three-step': { resetRequest: ['identifier'], resetVerify: ['identifier', 'code'], resetConfirm: ['resetToken', 'newPassword'] },
  link: { resetRequest: ['identifier'], resetConfirm: ['uid', 'token', 'newPassword'] },
  token: { resetRequest: ['identifier'], resetConfirm: ['token', 'newPassword'] },
};

function plural(n: number, word: string): string {
  return `${word}${n > 1 ? 's' : ''}`;
}

/** Request fields a profile does not map, as `op.field` names. */
function unmapped(profile: TargetProfile, fields: RequestFields): string[] {
  return Object.entries(fields).flatMap(([op, names]) => (names as readonly string[]).filter((f) => !profile.request[op as OperationId]?.[f]).map((f) => `${op}.${f}`));
}

function hasAccounts(profile: TargetProfile, facts: RunFacts): boolean {
  return profile.operations.register !== undefined || facts.provisioning;
}

/** Why the profile (and the run's provisioning) lacks a capability, or null when it has it. */
function capabilityMissing(cap: Capability, profile: TargetProfile, facts: RunFacts): string | null {
  const name = profile.name;
  switch (cap) {
    case 'accounts':
      return hasAccounts(profile, facts) ? null : `the ${name} profile has no register operation and no provisioning source (--provision) makes users`;
    case 'provisioning':
      return facts.provisioning ? null : 'no provisioning source (--provision) makes users';
    case 'refreshToken':
      return profile.response.tokenRefresh !== undefined && profile.operations.refresh ? null : `the ${name} profile's API hands out no refresh token`;
    case 'registerUserId':
      return profile.response.authUser !== undefined && profile.user.id !== undefined ? null : `the ${name} profile's register answer names no user id`;
    case 'protectedOperation':
      return Object.values(profile.operations).some((op) => op?.auth) ? null : `the ${name} profile has no operation that needs a token`;
    case 'protectedBody':
      return Object.values(profile.operations).some((op) => op?.auth && op.body !== 'none') ? null : `the ${name} profile has no operation that needs a token and takes a body`;
    case 'jsonLogin':
      return profile.operations.login?.body === 'json' ? null : `the ${name} profile's login takes no JSON body`;
    case 'sessionToken':
      return profile.response.tokenRefresh === undefined ? null : `the ${name} profile's API hands out a refresh token: logging out ends that (ACC-OUT-002), while a self-contained access token may live until it expires`;
    case 'jwks':
      return profile.jwks ? null : `the ${name} profile names no published key set (jwks)`;
    case 'userPathIds':
      return Object.values(profile.operations).some((op) => op?.auth && op.path.includes('{id}')) ? null : `the ${name} profile has no operation whose path names the user ({id})`;
    case 'updateAnswersUser':
      return profile.updateAnswersUser === false ? `the ${name} profile's update answers without the user` : null;
    case 'registeredUser':
      if (profile.response.authUser !== undefined) return null;
      return profile.registerIssuesTokens !== false && profile.response.tokenAccess !== undefined && profile.operations.me && profile.response.user !== undefined
        ? null
        : `the ${name} profile's register answer holds no user (response.authUser), nor a token to read it back with from a current-user operation`;
    case 'logoutNeedsAuth':
      return profile.operations.logout?.auth === false ? `the ${name} profile's logout takes no access token (it is authenticated by what its body carries)` : null;
    case 'meRefusesSignedOut':
      return profile.operations.me?.unauthenticated ? `the ${name} profile's ${profile.operations.me.path} answers a signed-out request with ${profile.operations.me.unauthenticated.status}, not a refusal` : null;
    case 'codeFlow':
      if (profile.otpStyle === 'sign-in') return unmappedReason(profile, { sendOtp: ['phone'], verifyOtp: ['phone', 'code'] });
      return hasAccounts(profile, facts) ? unmappedReason(profile, { sendOtp: ['channel'], verifyOtp: ['channel', 'code'] }) : capabilityMissing('accounts', profile, facts);
    case 'resetFlow':
      return unmappedReason(profile, RESET_STYLE_FIELDS[profile.resetStyle]);
    case 'roles':
      return profile.values.roles.length > 0 ? null : `the ${name} profile names no roles`;
    // Run facts, reported with their own kinds by runUnmet.
    case 'otpSource':
    case 'realCodes':
    case 'clock':
      return null;
  }
}

function unmappedReason(profile: TargetProfile, fields: RequestFields): string | null {
  const missing = unmapped(profile, fields);
  return missing.length ? `the ${profile.name} profile maps no ${plural(missing.length, 'request field')} ${missing.join(', ')}` : null;
}

function styleMismatch(needs: Needs, profile: TargetProfile): string | null {
  if (needs.resetStyles && !needs.resetStyles.includes(profile.resetStyle)) return `the ${profile.name} profile ${RESET_STYLE_WORDS[profile.resetStyle]}`;
  if (needs.otpStyle && needs.otpStyle !== profile.otpStyle) return `the ${profile.name} profile ${OTP_STYLE_WORDS[profile.otpStyle]}`;
  if (needs.loginWith && needs.loginWith !== profile.loginWith && !profile.alsoLoginWith?.includes(needs.loginWith)) {
    return `the ${profile.name} profile logs in by ${[profile.loginWith, ...(profile.alsoLoginWith ?? [])].join(' or ')}`;
  }
  return null;
}

/** Why a requirement does not apply to a profile, or null when it does. */
export function notApplicable(req: Requirement, profile: TargetProfile, facts: RunFacts = { provisioning: false }): string | null {
  const { needs } = req;
  const name = profile.name;
  const style = styleMismatch(needs, profile);
  if (style) return style;
  const ops = [...new Set(needs.operations ?? [])].filter((op) => !profile.operations[op]);
  if (ops.length) return `the ${name} profile has no ${ops.join(', ')} ${plural(ops.length, 'operation')}`;
  for (const cap of needs.capabilities ?? []) {
    const missing = capabilityMissing(cap, profile, facts);
    if (missing) return missing;
  }
  const fields = unmappedReason(profile, needs.request ?? {}) ?? unmappedReason(profile, needs.omitted ?? {});
  if (fields) return fields;
  for (const [op, names] of Object.entries(needs.requestAny ?? {})) {
    if (!(names as readonly string[]).some((f) => profile.request[op as OperationId]?.[f])) return `the ${name} profile's ${op} takes none of ${(names as readonly string[]).join(', ')}`;
  }
  const privileged = (needs.privileged ?? []).filter((f) => profile.privileged[f] === undefined);
  if (privileged.length) return `the ${name} profile names no privileged ${plural(privileged.length, 'field')} ${privileged.join(', ')}`;
  const user = (needs.user ?? []).filter((f) => profile.user[f] === undefined);
  if (user.length) return `the ${name} profile's user has no ${user.join(', ')}`;
  const response = (needs.response ?? []).filter((p) => profile.response[p] === undefined);
  if (response.length) return `the ${name} profile's answers carry no ${response.join(', ')}`;
  return null;
}

/** What the run lacks for a requirement that applies: a code source, real codes, the clock hook. */
export function runUnmet(req: Requirement, facts: RunFacts): Unmet | null {
  const caps = req.needs.capabilities ?? [];
  if (caps.includes('otpSource') && facts.codes === 'none') return { kind: 'no-code-source', reason: 'needs a real OTP: no OTP source configured (--otp-source)' };
  if (caps.includes('realCodes') && facts.codes === 'fixed') {
    return { kind: 'no-code-source', reason: 'needs codes the server generated: the OTP source is a fixed code from the configuration' };
  }
  if (caps.includes('clock') && facts.clock === false) return { kind: 'no-clock', reason: "needs the target's clock hook: none configured (--clock-hook)" };
  return null;
}

/**
 * What a check's probes did not send of its subject: request fields its needs name that no
 * request carried, fields it is about the absence of that one did carry, and a `requestAny`
 * group none of whose fields went out. Empty when the check sent its subject.
 */
export function unsentSubject(needs: Needs, probes: readonly Probe[]): string[] {
  const sent = (op: string, field: string) => probes.some((p) => p.operation === op && p.fields.includes(field));
  const each = (fields: RequestFields | undefined) => Object.entries(fields ?? {}).flatMap(([op, names]) => (names as readonly string[]).map((f) => [op, f] as const));
  return [
    ...each(needs.request).filter(([op, f]) => !sent(op, f)).map(([op, f]) => `${op}.${f}`),
    ...each(needs.omitted).filter(([op, f]) => sent(op, f)).map(([op, f]) => `${op}.${f} (sent, though the check is about its absence)`),
    ...Object.entries(needs.requestAny ?? {}).filter(([op, names]) => !(names as readonly string[]).some((f) => sent(op, f))).map(([op, names]) => `one of ${op}.${(names as readonly string[]).join('/')}`),
  ];
}
