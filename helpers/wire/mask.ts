/**
 * Secret masking. Every password, token and OTP the suite creates or receives is registered
 * here the moment it exists; every rendering of an exchange, every failure message and every
 * report goes through `mask`. Layers, so that a secret missed by one is caught by another:
 *
 * 1. Registered values, in every form they travel in (raw, URL-encoded, base64, JSON-escaped).
 * 2. Shapes that are credentials wherever they stand: a JWT, a Parse session token (`r:` + 32 hex).
 * 3. Members named for a credential, by role rather than by a list of names: a JSON member, a
 *    form field or a query parameter (`?token=…` in a reset link), a header line or a curl `-H`.
 *    A name is split into words in any spelling (`sessionToken`, `session_token`,
 *    `X-Parse-Session-Token`, `APIKey` → session/token, api/key) and names a credential when a
 *    word is token, secret, session, sid, key, password, passwd, pwd, pass, passphrase, jwt,
 *    cookie, otp, pin, csrf, xsrf or credential(s); when it is a run-on word ending in one
 *    (`sessiontoken`, `clientsecret`, `apikey`); when it is an auth code (`auth_code`,
 *    `authorizationCode`); when it ends in authorization (`Proxy-Authorization`); or when it is
 *    simplejwt's bare `access` / `refresh`. `keys`, `monkey` and `keyboard` are other words.
 *    A name whose last word says it describes a credential rather than holds one
 *    (`token_type`, `session_expires_at`, `otp_length`, `password_errors`) is not one.
 *
 * Never masked, because they are the evidence of a failure: error codes, messages, ids, emails.
 * - A member named `code` (or `…_code`, `…Code`) holds an error code unless its value looks like
 *   a one-time code: 4 to 8 digits (string or number), or 4 to 10 letters and digits mixed that
 *   is not an identifier of capitals and digits (`AUTH401`). So `"code": "UNAUTHORIZED"`,
 *   `"code": 101`, `"error_code": "AUTH_001"` and `"code": "token_not_valid"` stay visible, and
 *   `"code": "483920"` does not. Qualified codes that are never secrets (`error_code`,
 *   `status_code`, `country_code`, …) are never masked; auth and OTP codes always are.
 * - A secret-named JSON member whose value is a sentence (three or more words of letters) is a
 *   message about the field (`"password": "This password is too short."`), not the secret: the
 *   suite's own passwords are registered and masked wherever they appear.
 * - `uid` and other ids are not credentials.
 *
 * A value is masked up to its end, and never past the end of its line: a body cut off inside a
 * string (`"token":"abc… (900 more characters)`, a clipped body) masks what is left of that
 * string only; the cut mark and the lines after it (the curl line, other exchanges) stay whole.
 */
const MASK = '«masked»';
const MIN_SECRET_LENGTH = 4;

const secrets = new Set<string>();
/**
 * Every form of every secret, by the hash of its first MIN_SECRET_LENGTH characters, longest
 * first: masking looks up each position of a text once, whatever the number of secrets. One
 * regular expression of thousands of alternatives (a whole run's tokens, each in five forms)
 * tried them all at every position: a third of a run's CPU.
 */
const formsByHead = new Map<number, string[]>();

const SECRET_WORDS = new Set(['token', 'tokens', 'secret', 'secrets', 'session', 'sid', 'key', 'password', 'passwd', 'pwd', 'pass', 'passphrase', 'jwt', 'cookie', 'cookies', 'otp', 'pin', 'csrf', 'xsrf', 'credential', 'credentials']);
/** Run-on words (`sessiontoken`, `clientsecret`): a credential word at the end. */
const RUN_ON_SECRET = /(?:token|secret|password|passwd|cookie|authcode|otpcode|sessionid)$|^(?:api|access|secret|private|session|auth|client|app|master|signing|license)key$/;
/** simplejwt answers `{"access": …, "refresh": …}`: bare names that are tokens there. */
const BARE_TOKEN_NAMES = new Set(['access', 'refresh', 'auth']);
/** A last word that describes the credential instead of holding it. */
const DESCRIBING = new Set([
  'type', 'types', 'expires', 'expiry', 'expiration', 'exp', 'at', 'in', 'ttl', 'lifetime', 'age', 'length', 'len', 'count', 'size',
  'sent', 'changed', 'updated', 'created', 'issued', 'required', 'policy', 'hint', 'strength', 'rules', 'enabled', 'disabled', 'method',
  'methods', 'name', 'format', 'version', 'status', 'state', 'valid', 'verified', 'used', 'error', 'errors', 'message', 'detail',
  'field', 'label', 'class', 'duration', 'timeout', 'scope', 'scopes', 'provider', 'algorithm', 'alg',
]);
/** Codes that are never secrets, by the word before `code`. */
const PLAIN_CODES = new Set(['error', 'status', 'http', 'response', 'result', 'reason', 'exit', 'country', 'postal', 'zip', 'currency', 'language', 'lang', 'locale', 'region', 'area', 'dial', 'calling', 'iso', 'type', 'kind', 'message']);

/** The words of a name in any spelling: camelCase, snake_case, kebab-case, ACRONYMCase; digits dropped. */
function wordsOf(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? []).map((w) => w.toLowerCase());
}

function namesCredential(words: readonly string[]): boolean {
  const last = words.at(-1);
  if (last === undefined || DESCRIBING.has(last)) return false;
  if (words.length === 1 && BARE_TOKEN_NAMES.has(last)) return true;
  if (last === 'authorization') return true;
  return words.some((w, i) => SECRET_WORDS.has(w) || RUN_ON_SECRET.test(w) || ((w === 'auth' || w === 'authorization') && words[i + 1] === 'code'));
}

/** Whether a member, field, parameter or header of this name holds a credential, whatever its value. */
export function isSecretName(name: string): boolean {
  return namesCredential(wordsOf(name));
}

/** A code-named member that is not a credential by name: masked only when the value looks like a one-time code. */
function isCodeName(words: readonly string[]): boolean {
  const before = words.at(-2);
  return words.at(-1) === 'code' && (before === undefined || !PLAIN_CODES.has(before));
}

function looksLikeOneTimeCode(value: string): boolean {
  if (/^\d{4,8}$/.test(value)) return true;
  return /^[A-Za-z0-9]{4,10}$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value) && !/^[A-Z]+\d+$/.test(value);
}

function isSentence(value: string): boolean {
  return /^[\p{L}'’,.!?()-]+(?: [\p{L}'’,.!?()-]+){2,}$/u.test(value);
}

/** Whether the value of a member of this name is masked. `raw` is the value as written (unescaped enough to judge). */
function masksValue(name: string, raw: string): boolean {
  const words = wordsOf(name);
  if (namesCredential(words)) return !isSentence(raw);
  return isCodeName(words) && looksLikeOneTimeCode(raw);
}

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** Parse Server's session tokens: `r:` and 32 hex digits. */
const PARSE_SESSION_TOKEN = /\br:[0-9a-f]{32}\b/gi;
/**
 * A JSON member with a string or number value. A string stops at its closing quote or, when the
 * text was cut inside it, at the end of the line or at the cut mark `…`: never on a later line.
 */
const JSON_MEMBER = /("([^"\\\n]{1,100})"\s*:\s*)(?:"((?:[^"\\\n…]|\\[^\n]|…(?! \(\d+ more))*)("?)|(-?\d+(?:\.\d+)?))/g;
/** A form field or query parameter: `name=value` up to `&`, `;`, whitespace or a quote; `%3D` and `%26` when nested in a URL. */
const FORM_MEMBER = /(^|[^\w.%-]|%3F|%26)([A-Za-z_][\w.-]{0,99})(=|%3D)((?:(?!%26|… \(\d+ more)[^&;\s"'<>#])+)/gi;
/** A header on a line of its own (`  Authorization: Bearer …`, `Set-Cookie: sid=…`): the value runs to the end of the line. */
const HEADER_LINE = /^([ \t]*)([A-Za-z][\w-]{0,99})([ \t]*:[ \t]*)(\S.*)$/gm;
/** A header in a curl line: `-H 'X-Api-Key: …'` (shell quoting writes a quote as '\''). */
const CURL_HEADER = /((?:-H|--header)\s+')([A-Za-z][\w-]{0,99})(\s*:\s*)((?:[^'\n]|'\\'')*)/g;

/**
 * A header line: an indented one (as exchanges render the headers they sent), or a header-looking
 * name (hyphenated, or a standard credential header); prose like "Token: …" is left alone.
 */
function isHeaderLine(indent: string, name: string): boolean {
  return (indent !== '' || name.includes('-') || /^(?:authorization|cookie)$/i.test(name)) && isSecretName(name);
}

function formsOf(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
  forms.add(Buffer.from(secret).toString('base64url'));
  forms.add(JSON.stringify(secret).slice(1, -1));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Registers a secret so that it never appears unmasked in any output. Returns it unchanged. */
export function registerSecret<T extends string | null | undefined>(value: T): T {
  if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH && !secrets.has(value)) {
    secrets.add(value);
    for (const form of formsOf(value)) addForm(form);
  }
  return value;
}

/** Values a server hands out as credentials are registered only when token-shaped: long, no spaces, with a digit. */
function registerIfTokenShaped(value: unknown): void {
  if (typeof value === 'string' && value.length >= 12 && value.length <= 4096 && !/\s/.test(value) && /\d/.test(value)) registerSecret(value);
}

function registerMembers(value: unknown, depth: number): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  for (const [name, member] of Object.entries(value)) {
    if (isSecretName(name)) registerIfTokenShaped(member);
    registerMembers(member, depth + 1);
  }
}

/**
 * Registers the credentials an answer hands out by role: values of members and headers named for
 * a credential (a session token in an extra field, an API key) and the values of Set-Cookie, so
 * that they stay masked where they later appear without their name (a URL, an echo).
 */
export function registerCredentialsIn(json: unknown, headers: Readonly<Record<string, string>>): void {
  registerMembers(json, 0);
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'set-cookie' || name === 'cookie') {
      for (const pair of value.split(/[;,]\s*/)) registerIfTokenShaped(pair.slice(pair.indexOf('=') + 1));
    } else if (isSecretName(name)) {
      registerIfTokenShaped(value);
    }
  }
}

/** A hash of the MIN_SECRET_LENGTH characters of `text` from `at`. */
function headHash(text: string, at: number): number {
  let h = 0;
  for (let i = at; i < at + MIN_SECRET_LENGTH; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

function addForm(form: string): void {
  const key = headHash(form, 0);
  const forms = formsByHead.get(key);
  if (!forms) return void formsByHead.set(key, [form]);
  if (forms.includes(form)) return;
  // Longest first, so that a secret containing another is masked whole.
  forms.push(form);
  forms.sort((a, b) => b.length - a.length);
}

/** Every known secret in a text, in any of its forms, masked: the leftmost match first, and the longest there. */
function maskSecrets(text: string): string {
  if (formsByHead.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
  let out = '';
  let copied = 0;
  for (let i = 0; i + MIN_SECRET_LENGTH <= text.length; ) {
    const forms = formsByHead.get(headHash(text, i));
    const found = forms?.find((form) => text.startsWith(form, i));
    if (found === undefined) {
      i += 1;
      continue;
    }
    out += text.slice(copied, i) + MASK;
    i += found.length;
    copied = i;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function maskMembers(text: string): string {
  return text.replace(JSON_MEMBER, (whole, head: string, name: string, str: string | undefined, close: string, num: string | undefined) => {
    if (str !== undefined) return masksValue(name, str) ? `${head}"${MASK}${close}` : whole;
    return num !== undefined && masksValue(name, num) ? `${head}${MASK}` : whole;
  });
}

/** Masks every known secret in a text. */
export function mask(text: string): string {
  let out = maskSecrets(text);
  out = maskMembers(out.replace(JWT, MASK).replace(PARSE_SESSION_TOKEN, MASK));
  out = out.replace(FORM_MEMBER, (whole, before: string, name: string, eq: string, value: string) => (masksValue(name, value) ? `${before}${name}${eq}${MASK}` : whole));
  out = out.replace(HEADER_LINE, (whole, indent: string, name: string, colon: string) => (isHeaderLine(indent, name) ? `${indent}${name}${colon}${MASK}` : whole));
  return out.replace(CURL_HEADER, (whole, head: string, name: string, colon: string) => (isSecretName(name) ? `${head}${name}${colon}${MASK}` : whole));
}

/** Test-only: forget registered secrets. */
export function clearSecrets(): void {
  secrets.clear();
  formsByHead.clear();
}

export const MASK_TEXT = MASK;
