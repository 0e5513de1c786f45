/**
 * Field validation in DRF's manner: every problem of a body is collected, keyed by field
 * (nested for `profile.*`), and answered at once as one 400.
 */
import { ApiError, type FieldErrors } from './errors.js';
import type { Texts } from './messages.js';

export type Body = Record<string, unknown>;

/** Seed §Role Management: "Three roles: POSTER, TASKER, BOTH". */
export const ROLES = ['POSTER', 'TASKER', 'BOTH'] as const;
/** Seed §2. User Profile Model: gender 'M', 'F', 'O', 'N' (blank when not given). */
export const GENDERS = ['M', 'F', 'O', 'N', ''] as const;
export const MIN_PASSWORD_LENGTH = 8;
/** Django's hashers refuse longer passwords, to bound the cost of hashing. */
export const MAX_PASSWORD_LENGTH = 4096;
export const MAX_EMAIL_LENGTH = 254;

export function isPlainObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'string' ? 'str' : typeof value;
}

export class ErrorBag {
  readonly errors: FieldErrors = {};

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  /** Adds a message under a dotted path: 'profile.gender' → {profile: {gender: [...]}}. */
  add(path: string, message: string): void {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let node = this.errors;
    for (const key of keys) {
      const next: string[] | FieldErrors = (node[key] ??= {});
      if (Array.isArray(next)) return void next.push(message);
      node = next;
    }
    const slot = (node[last] ??= []);
    const list = Array.isArray(slot) ? slot : (slot.non_field_errors ??= []);
    if (Array.isArray(list)) list.push(message);
  }

  throwIfAny(message: string): void {
    if (!this.empty) throw new ApiError(400, message, this.errors);
  }

  /**
   * Answers 400 when anything was refused; otherwise returns the values, which are then all
   * defined (a reader leaves a value undefined only after recording why).
   */
  required<T extends Record<string, unknown>>(message: string, values: T): { [K in keyof T]: Exclude<T[K], undefined> } {
    this.throwIfAny(message);
    for (const [name, value] of Object.entries(values)) if (value === undefined) throw new Error(`${name} is missing without an error`);
    return values as { [K in keyof T]: Exclude<T[K], undefined> };
  }
}

export interface StringRule {
  readonly required?: boolean;
  readonly allowBlank?: boolean;
  readonly max?: number;
  /** DRF's CharField trims by default; passwords and codes are taken as sent. */
  readonly trim?: boolean;
}

export interface ChoiceRule extends StringRule {
  /** A fault switch turned the check off. */
  readonly unchecked?: boolean;
}

export class FieldReader {
  constructor(
    private readonly source: Body,
    readonly bag: ErrorBag,
    readonly t: Texts,
    private readonly prefix = '',
  ) {}

  has(name: string): boolean {
    return Object.hasOwn(this.source, name) && this.source[name] !== undefined;
  }

  raw(name: string): unknown {
    return this.has(name) ? this.source[name] : undefined;
  }

  fail(name: string, message: string): undefined {
    this.bag.add(this.prefix + name, message);
    return undefined;
  }

  private missing(name: string, required: boolean | undefined): undefined {
    return required ? this.fail(name, this.t.required) : undefined;
  }

  /** DRF's CharField: strings, and numbers turned into strings; null and the rest refused. */
  private text(name: string, value: unknown): string | undefined {
    if (value === null) return this.fail(name, this.t.notNull);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return this.fail(name, this.t.notString);
  }

  string(name: string, rule: StringRule = {}): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return this.missing(name, rule.required);
    const text = this.text(name, value);
    if (text === undefined) return undefined;
    // DRF's CharField: ProhibitNullCharactersValidator.
    if (text.includes('\0')) return this.fail(name, this.t.nullCharacters);
    const s = rule.trim === false ? text : text.trim();
    if (s === '' && !rule.allowBlank) return this.fail(name, this.t.blank);
    if (rule.max !== undefined && s.length > rule.max) return this.fail(name, this.t.maxLength(rule.max));
    return s;
  }

  choice(name: string, choices: readonly string[], rule: ChoiceRule = {}): string | undefined {
    const value = this.string(name, rule);
    if (value === undefined || rule.unchecked || choices.includes(value)) return value;
    return this.fail(name, this.t.invalidChoice(value));
  }

  /** A nested object such as `profile`; its errors nest under its name. */
  nested(name: string, required: boolean): FieldReader | undefined {
    const value = this.raw(name);
    if (value === undefined) return this.missing(name, required);
    if (value === null) return this.fail(name, this.t.notNull);
    if (!isPlainObject(value)) return this.fail(`${name}.non_field_errors`, this.t.notDictionary(typeName(value)));
    return new FieldReader(value, this.bag, this.t, `${this.prefix}${name}.`);
  }
}

// Django's EmailValidator (dot-atom local part, hostname labels, a TLD of 2-63 characters),
// not the seed's Dart regex, which refuses ordinary addresses such as user@example.com.
const EMAIL_LOCAL = /^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$/i;
const EMAIL_DOMAIN = /^(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}$/i;

export function isEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const domain = value.slice(at + 1);
  return EMAIL_LOCAL.test(value.slice(0, at)) && EMAIL_DOMAIN.test(domain) && !domain.endsWith('-');
}

export interface PhoneChecks {
  readonly length: boolean;
  readonly prefix: boolean;
  readonly digitsOnly: boolean;
  /** Fault unicode-digits-accepted: any Unicode decimal digit counts, as Python's \d does. */
  readonly unicodeDigits?: boolean;
}

/** Seed §Validation Rules: "Must be exactly 12 digits", "Must start with country code 92". */
export function phoneProblems(phone: string, checks: PhoneChecks, t: Texts): string[] {
  const problems: string[] = [];
  const allowed = !checks.digitsOnly ? /^[0-9A-Za-z]*$/ : checks.unicodeDigits ? /^\p{Nd}*$/u : /^\d*$/;
  if (!allowed.test(phone)) problems.push(t.phoneDigits);
  if (checks.length && phone.length !== 12) problems.push(t.phoneLength);
  if (checks.prefix && !phone.startsWith('92')) problems.push(t.phonePrefix);
  return problems;
}

/** YYYY-MM-DD naming a real calendar day (no 1990-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A date of the right shape, month 01-12 and day 01-31, whether or not the day exists: what a
 * shape-only pattern accepts (fault birth-date-shape-only).
 */
export function isDateShaped(value: string): boolean {
  return /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/.test(value);
}

/** Python's float() of a string: the non-finite spellings it accepts (fault coordinate-nan-accepted). */
export function pythonNonFinite(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*([+-]?)(nan|inf|infinity)\s*$/i.exec(value);
  if (!m) return undefined;
  if ((m[2] as string).toLowerCase() === 'nan') return Number.NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** DRF's FloatField: a finite number, or a string holding one. */
export function parseNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !NUMERIC.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** Lenient booleans, as a mass-assignment fault would read them from JSON or a form. */
export function looseBoolean(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === 'string' && /^(true|1|yes|on)$/i.test(value));
}
