/**
 * Secret masking. Every password, token and OTP the suite creates or receives is registered
 * here the moment it exists; every rendering of an exchange, every failure message and every
 * report goes through `mask`. Three layers, so that a secret missed by one is caught by another:
 * registered values (raw, URL-encoded and base64 forms), JSON members whose key names a secret,
 * and anything shaped like a JWT.
 */
const MASK = '«masked»';
const MIN_SECRET_LENGTH = 4;

const secrets = new Set<string>();
let pattern: RegExp | null = null;

/** Key names whose values are secrets wherever they appear (JSON bodies, form fields, query strings). */
const SECRET_KEYS = [
  'password',
  'password_confirm',
  'password1',
  'password2',
  're_password',
  'new_password',
  'new_password_confirm',
  'new_password1',
  'new_password2',
  're_new_password',
  'old_password',
  'current_password',
  'otp',
  'code',
  'otp_code',
  'token',
  'access',
  'refresh',
  'access_token',
  'refresh_token',
  'reset_token',
  'uid',
];

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const JSON_MEMBER = new RegExp(`("(?:${SECRET_KEYS.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const FORM_MEMBER = new RegExp(`(\\b(?:${SECRET_KEYS.join('|')})=)[^&\\s"']+`, 'gi');
const AUTH_HEADER = /((?:authorization|cookie|set-cookie|x-api-key|x-auth-token|x-access-token)\s*[:=]\s*)(?:"[^"]*"|'[^']*'|[^\n'"]+)/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
    pattern = null;
  }
  return value;
}

function secretPattern(): RegExp | null {
  if (secrets.size === 0) return null;
  if (!pattern) {
    // Longest first, so that a secret containing another is masked whole.
    const forms = [...secrets].flatMap(formsOf).sort((a, b) => b.length - a.length);
    pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  }
  return pattern;
}

/** Masks every known secret in a text. */
export function mask(text: string): string {
  let out = text;
  const known = secretPattern();
  if (known) out = out.replace(known, MASK);
  return out
    .replace(JWT, MASK)
    .replace(JSON_MEMBER, `$1"${MASK}"`)
    .replace(FORM_MEMBER, `$1${MASK}`)
    .replace(AUTH_HEADER, `$1${MASK}`);
}

/** Test-only: forget registered secrets. */
export function clearSecrets(): void {
  secrets.clear();
  pattern = null;
}

export const MASK_TEXT = MASK;
