/**
 * Generated from schemas/target-profile.json by `npm run gen:types` (scripts/gen-types.ts):
 * edit the schema, not this file.
 */

/** The operations the suite knows, by their neutral names. */
export const OPERATION_IDS = ['register', 'login', 'refresh', 'sendOtp', 'verifyOtp', 'me', 'updateProfile', 'changePassword', 'updateLocation', 'resetRequest', 'resetVerify', 'resetConfirm', 'wallet', 'logout'] as const;
export type OperationId = (typeof OPERATION_IDS)[number];

export interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the base URL. {id} is the id of the user whose token the request carries; ${NAME} is read from the environment (Parse Server's pages routes name the application id: apps/${PARSE_APP_ID}/request_password_reset) and masked in every report. */
  readonly path: string;
  /** Whether the operation needs an access token. */
  readonly auth: boolean;
  /** The request body: JSON, application/x-www-form-urlencoded (form), multipart/form-data, or none. */
  readonly body: 'json' | 'form' | 'multipart' | 'none';
  /** The success status, or the statuses a dialect allows (seed 004's login: 200 or 201); 200 when not given. */
  readonly status?: SuccessStatus | readonly SuccessStatus[];
  /** Statuses of this operation's refusals, where they differ from the profile's (an operation that answers invalid input with 422 where the others answer 400). */
  readonly refusals?: Refusals;
  /** Headers sent with every call of this operation only (X-Requested-With), on top of the profile's. */
  readonly headers?: Headers;
  /** The answer by which this operation says "not signed in" where it is not a refusal status (better-auth's get-session answers 200 null). The checks that expect an unauthenticated request refused accept it as such on this operation; the error envelope is not judged on it. */
  readonly unauthenticated?: {
    readonly status: number;
    /** The JSON body of that answer, compared whole (null for better-auth's get-session). */
    readonly body: unknown;
  };
  /** Request fields this operation takes from the signed-in user's own values when a check does not send them (better-auth's send-OTP needs the user's email). Each must also be mapped in request. */
  readonly fromUser?: readonly ('email' | 'phone' | 'username')[];
}

/** Kinds of refusal whose status differs between dialects (bad login: 401 or 400, ...). */
export const REFUSALS = ['invalid', 'badCredentials', 'unauthorized', 'notFound', 'methodNotAllowed', 'unsupportedMediaType'] as const;
export type Refusal = (typeof REFUSALS)[number];

export type Refusals = Readonly<Partial<Record<Refusal, Statuses>>>;

export type Statuses = readonly number[];

export type SuccessStatus = number;

export const USER_FIELDS = ['id', 'phone', 'email', 'phoneVerified', 'emailVerified', 'role', 'rating', 'tasksPosted', 'tasksCompleted', 'createdAt', 'fullName', 'image', 'bio', 'dateOfBirth', 'gender', 'username', 'firstName', 'lastName'] as const;
export type UserField = (typeof USER_FIELDS)[number];

export const PRIVILEGED_FIELDS = ['emailVerified', 'phoneVerified', 'rating', 'tasksPosted', 'tasksCompleted', 'walletBalance'] as const;
export type PrivilegedField = (typeof PRIVILEGED_FIELDS)[number];

export const RESPONSE_POINTERS = ['authData', 'loginData', 'authUser', 'loginUser', 'authTokens', 'tokenAccess', 'tokenRefresh', 'refreshData', 'refreshAccess', 'refreshRefresh', 'user', 'wallet', 'errors', 'otpData', 'otpUser', 'resetToken', 'errorField'] as const;
export type ResponsePointer = (typeof RESPONSE_POINTERS)[number];

export const WALLET_FIELDS = ['id', 'balance'] as const;
export type WalletField = (typeof WALLET_FIELDS)[number];

/** The answers whose data a profile gives a schema for. */
export const ANSWERS = ['authData', 'loginData', 'user', 'wallet', 'refreshData'] as const;
export type Answer = (typeof ANSWERS)[number];

/** The channels an OTP goes through. */
export const CHANNELS = ['email', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Which of a user's values the login's username field takes. */
export const LOGIN_IDENTIFIERS = ['email', 'phone', 'username'] as const;
export type LoginIdentifier = (typeof LOGIN_IDENTIFIERS)[number];

export const RESET_STYLES = ['code', 'three-step', 'link', 'token'] as const;
export type ResetStyle = (typeof RESET_STYLES)[number];

export const OTP_STYLES = ['verify', 'sign-in'] as const;
export type OtpStyle = (typeof OTP_STYLES)[number];

/** Request headers sent with every request to the target (the suite's own probes included): an application id the API wants on each call. A value may name environment variables, "${PARSE_APP_ID}", so that no key is committed; their values are masked in every report. */
export type Headers = Readonly<Record<string, string>>;

/** Describes an accounts API to the suite: operations, wire field names, where answers keep values, its envelope and status conventions. A profile may extend another and override keys (null removes one). */
export interface ProfileDocument {
  readonly $schema?: string;
  readonly name: string;
  readonly description: string;
  /** The seed contract the API implements (seed-000 for TaskLink). Rules whose only MUST source is that seed are MUST for it; for other profiles they take the level of their other source. */
  readonly contract?: string;
  /** The API's framework, for framework-specific advice on warnings. */
  readonly framework?: 'django-rest-framework' | 'express' | 'better-auth' | 'parse-server' | 'rails' | 'laravel' | 'spring';
  readonly extends?: string;
  /** Schemas of successful and of error answers: the name of a shipped schema (schemas/), or the path of your own schema file relative to the profile; null: not checked. */
  readonly envelope: {
    readonly success: string | null;
    readonly error: string | null;
  };
  /** The operations the dialect has; an absent one is a capability it lacks. */
  readonly operations: Readonly<Partial<Record<OperationId, Operation>>>;
  /** Per operation: neutral field name → wire name (dotted names nest in JSON and stay literal in multipart). The refresh token of refresh and logout may go in a cookie instead, named cookie:<name>: sent in the Cookie header. */
  readonly request: Readonly<Partial<Record<OperationId, Readonly<Record<string, string>>>>>;
  /** Fields a client must not set: neutral name → wire name. */
  readonly privileged?: Readonly<Partial<Record<PrivilegedField, string>>>;
  /** JSON Pointers into answers; a missing one means the dialect's answer does not carry it. A refresh token set in a cookie (tokenRefresh, refreshRefresh) is named cookie:<name>: read from the answer's Set-Cookie. Where `errors` is an array of error objects (GraphQL's errors[].extensions.field, Strapi's error.details.errors[].path), `errorField` points, inside each item, at the field it names: a string, or a path array whose last member or dotted join is the field. */
  readonly response: Readonly<Partial<Record<ResponsePointer, string>>>;
  /** JSON Pointers inside a user object; a field the dialect lacks is left out. */
  readonly user: Readonly<Partial<Record<UserField, string>>>;
  /** JSON Pointers inside a wallet object. */
  readonly wallet?: Readonly<Partial<Record<WalletField, string>>>;
  /** Schemas of the answers' data: the name of a shipped schema (schemas/), or the path of your own schema file relative to the profile. */
  readonly schemas: Readonly<Partial<Record<Answer, string>>>;
  /** The values the API accepts for enumerated fields. */
  readonly values: {
    /** The wire value of each OTP channel. */
    readonly channel: Readonly<Partial<Record<Channel, string>>>;
    /** The roles a user can take; none where the API has no roles. */
    readonly roles: readonly string[];
    readonly genders: readonly string[];
  };
  /** Input rules of the API. */
  readonly rules: {
    /** How many digits a phone number has, the prefix's included (a leading + is not a digit). */
    readonly phoneDigits: number;
    readonly phonePrefix: string;
    readonly minPasswordLength: number;
  };
  /** false: registration answers without tokens (djoser); the suite logs in instead. Default true. */
  readonly registerIssuesTokens?: boolean;
  /** false for an API whose profile update answers without the user (a 204, or a bare message): the suite reads the user back from the current-user operation, and ACC-PROF-001 (the answer shows the changes) does not apply. Default true. */
  readonly updateAnswersUser?: boolean;
  /** How an access token is presented: the header and its scheme word (default Authorization: Bearer <token>; scheme null sends the bare token). */
  readonly auth?: {
    readonly header: string;
    readonly scheme?: string | null;
  };
  readonly headers?: Headers;
  /** Where the API publishes the public keys its tokens are signed with, as a JWK Set (RFC 7517): a URL, or a path (one starting with / resolves against the target's origin, another against the base URL). With it, ACC-JWT-008 tries algorithm confusion. */
  readonly jwks?: string;
  /** Per operation: wire fields sent with a constant value on every call (seed 002's device_type). Dotted names nest. */
  readonly constants?: Readonly<Partial<Record<OperationId, Readonly<Record<string, unknown>>>>>;
  /** The user value the login's username field takes; default email. */
  readonly loginWith?: LoginIdentifier;
  /** Other user values the login's username field also takes (an API that signs in by email or username): the login checks of each apply too. The suite's own logins use loginWith. */
  readonly alsoLoginWith?: readonly LoginIdentifier[];
  /** code: identifier + code + new password in one call (seed 000); three-step: the code is traded for a reset token (resetVerify), which sets the password (seed 004); link: the mail carries a uid and a token (djoser); token: the mail carries one token (in a link's query string, its path or its fragment), which with the new password sets it (Parse Server, many Node stacks). Default code. */
  readonly resetStyle?: ResetStyle;
  /** verify: a signed-in user verifies an email or phone (seed 000); sign-in: a code sent to a phone signs in (seed 004). Default verify. */
  readonly otpStyle?: OtpStyle;
  /** Statuses of each kind of refusal, where the dialect differs from the defaults (invalid 400, badCredentials 401, unauthorized 401, notFound 404, methodNotAllowed 405, unsupportedMediaType 415). */
  readonly refusals?: Refusals;
}
