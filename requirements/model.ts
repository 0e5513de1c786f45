/**
 * The shape of a requirement: what it says, where the rule comes from, at which level, and what
 * a check of it needs from the target's profile and from the run. Applicability is computed from
 * `needs` alone (requirements/applicability.ts); every name here is typed, so a mistyped
 * operation, field or capability is a type error, never a silently disabled rule.
 */
import type {
  LoginIdentifier,
  OperationId,
  OtpStyle,
  PrivilegedField,
  RequestField,
  ResetStyle,
  ResponsePointer,
  UserField,
} from '../helpers/wire/profile.js';

export type Level = 'MUST' | 'SHOULD';

export const FLOWS = [
  'envelope',
  'register',
  'login',
  'refresh',
  'auth',
  'otp',
  'me',
  'profile',
  'password',
  'reset',
  'wallet',
  'location',
  'logout',
  'tokens',
  'sessions',
  'enumeration',
  'exposure',
  'authorization',
  'leaks',
  'uploads',
  'robustness',
  'validation',
  'exhaustion',
  'races',
  'throttling',
  'expiry',
  'jwt',
  'timing',
] as const;
export type Flow = (typeof FLOWS)[number];

/**
 * What a check relies on beyond operations and fields:
 * - accounts: it makes users of its own (a register operation, or a provisioning source);
 * - refreshToken: the API hands out a refresh token with its access token;
 * - registerUserId: the register answer names the new user's id;
 * - protectedOperation: some operation needs a token;
 * - protectedBody: some operation that needs a token takes a request body;
 * - jsonLogin: the login takes a JSON body (malformed JSON sent there is refused as invalid input);
 * - sessionToken: the API hands out a session token and no refresh token (better-auth, Parse Server);
 * - jwks: the profile names where the API publishes the public keys its tokens are signed with;
 * - userPathIds: some operation's path names the user ({id}), as users/{id} routes do;
 * - updateAnswersUser: the profile update answers with the updated user (updateAnswersUser is not false);
 * - registeredUser: the new user can be read: from the register answer (authUser), else back from
 *   the current-user operation with the token the registration issued;
 * - logoutNeedsAuth: the logout operation takes the access token (auth), so it can refuse a logout without one;
 * - meRefusesSignedOut: the current-user operation refuses a signed-out request (no `unauthenticated` answer of its own);
 * - codeFlow: a code can be sent and presented (sign-in codes, or verify codes for a user of its own);
 * - resetFlow: every field the profile's reset style sends is mapped;
 * - roles: the profile names at least one role a user can take;
 * - otpSource: the codes the server sends can be read (any OTP source);
 * - realCodes: the codes read are the ones the server generated (not a fixed: code);
 * - clock: the target's clock hook;
 * - provisioning: a provisioning source makes users (an API without registration).
 */
export const CAPABILITIES = [
  'accounts',
  'refreshToken',
  'registerUserId',
  'protectedOperation',
  'protectedBody',
  'jsonLogin',
  'meRefusesSignedOut',
  'logoutNeedsAuth',
  'registeredUser',
  'updateAnswersUser',
  'userPathIds',
  'jwks',
  'sessionToken',
  'codeFlow',
  'resetFlow',
  'roles',
  'otpSource',
  'realCodes',
  'clock',
  'provisioning',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Per operation, some of the neutral request fields it knows. */
export type RequestFields = { readonly [Op in OperationId]?: readonly RequestField<Op>[] };

export interface Needs {
  /** Operations the check calls. */
  readonly operations?: readonly OperationId[];
  /** Request fields the check sends as its subject: every one must be mapped. */
  readonly request?: RequestFields;
  /** Request fields the check deliberately leaves out (a missing email): mapped, and never sent. */
  readonly omitted?: RequestFields;
  /** Request fields of which the check sends those mapped: at least one must be. */
  readonly requestAny?: RequestFields;
  /** Privileged fields (a client must not set them) the check sends. */
  readonly privileged?: readonly PrivilegedField[];
  /** Fields of the user the check reads. */
  readonly user?: readonly UserField[];
  /** Places in answers the check reads. */
  readonly response?: readonly ResponsePointer[];
  readonly capabilities?: readonly Capability[];
  /** The rule is about this way of using codes only. */
  readonly otpStyle?: OtpStyle;
  /** The rule is about these ways of resetting a password only. */
  readonly resetStyles?: readonly ResetStyle[];
  /** The rule is about logging in by this identifier. */
  readonly loginWith?: LoginIdentifier;
}

export interface Requirement {
  readonly id: string;
  readonly flow: Flow;
  /** The level under the contracts its source names (a seed the profile implements, an RFC, ASVS). */
  readonly level: Level;
  /**
   * The level for a profile that implements none of the seeds the source names, where the seed
   * alone makes the rule a MUST (the error envelope on a 404): its other source's level.
   */
  readonly levelElsewhere?: Level;
  /**
   * Present tense, one line, dialect-neutral: what a conforming server does. Placeholders in
   * braces are rendered with the profile's wire names and statuses (requirements/statement.ts).
   */
  readonly title: string;
  /** Where the rule comes from: a seed section, an RFC or an OWASP ASVS clause. */
  readonly source: string;
  /** The quoted normative sentence, or why the rule holds. */
  readonly rationale?: string;
  /** For SHOULD findings: why it is only a warning, and the usual fix (stack-neutral). */
  readonly advice?: string;
  /** Framework-specific hints for the advice, by the profile's `framework`. */
  readonly hints?: Readonly<Partial<Record<Framework, string>>>;
  readonly needs: Needs;
  /** Prerequisite requirements: when one of them fails in setup, this check reports it. */
  readonly dependsOn?: readonly string[];
}

/** Frameworks a profile may name, for stack-specific advice. */
export const FRAMEWORKS = ['django-rest-framework', 'express', 'better-auth', 'parse-server', 'rails', 'laravel', 'spring'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** Setup steps a flow helper may fail in; the catalogue names the requirement each one is. */
export const SETUP_STEPS = ['register', 'login', 'provision', 'me'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];
