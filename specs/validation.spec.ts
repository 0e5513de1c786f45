/**
 * Validation pitfalls of common frameworks, on every field the profile gives a format rule:
 * the phone number (its digit count and prefix), the email, the date of birth, and the enumerated
 * role and gender. A server may accept a value and normalise it (trim it, fold its digits), so a
 * check does not ask for a refusal: it reads back what was stored, through the current-user
 * operation, and holds that to the rule. Only where nothing can be read back (a location) is the
 * refusal itself the subject. A refusal is judged by its status alone: the shape of error answers
 * is the envelope checks' subject (ACC-ENV-002), and a duplicate refused in another shape (djoser's
 * bare list) is still refused.
 */
import type { CheckContext } from '../helpers/harness/check.js';
import { check } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { Api } from '../helpers/wire/api.js';
import { nest } from '../helpers/wire/bodies.js';
import { NotApplicable } from '../helpers/outcome.js';
import { refusalStatuses, type TargetProfile } from '../helpers/wire/profile.js';
import { loginId, newUserInput, registerFields, tokensOf, uniqueEmail, uniquePhone, userField, type Account, type NewUser } from '../helpers/flows/users.js';

/** The fields a format rule applies to, in neutral names: request field and user field alike. */
type RuleField = 'phone' | 'email' | 'role' | 'gender' | 'dateOfBirth';
type RuleOp = 'register' | 'updateProfile';

interface Target {
  readonly op: RuleOp;
  readonly field: RuleField;
}

const TARGETS: readonly Target[] = [
  { op: 'register', field: 'phone' },
  { op: 'register', field: 'email' },
  { op: 'register', field: 'role' },
  { op: 'updateProfile', field: 'phone' },
  { op: 'updateProfile', field: 'email' },
  { op: 'updateProfile', field: 'role' },
  { op: 'updateProfile', field: 'gender' },
  { op: 'updateProfile', field: 'dateOfBirth' },
];

const VALID_DATE = '1990-05-17';

/** The profile has the rule: the operation takes the field, the user shows it, and an enum names its values. */
function hasRule(profile: TargetProfile, { op, field }: Target): boolean {
  const mapped: Readonly<Record<string, string>> = profile.request[op] ?? {};
  if (!profile.operations[op] || !mapped[field] || profile.user[field] === undefined) return false;
  if (field === 'role') return profile.values.roles.length > 0;
  if (field === 'gender') return profile.values.genders.length > 0;
  return true;
}

/** A value the rule accepts, for a fresh user of the given input. */
function validValue(t: CheckContext, { op, field }: Target, input: NewUser): string {
  switch (field) {
    case 'phone':
      return op === 'register' ? input.phone : uniquePhone(t.profile);
    case 'email':
      return op === 'register' ? input.email : uniqueEmail(t.faker);
    case 'role':
      return op === 'register' ? input.role : (t.profile.values.roles.at(-1) as string);
    case 'gender':
      return t.profile.values.genders[0] as string;
    case 'dateOfBirth':
      return VALID_DATE;
  }
}

/** YYYY-MM-DD in ASCII digits, naming a day of the calendar. */
function isRealDate(value: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, angle brackets included. */
const MAX_EMAIL_LENGTH = 254;

/** Why a stored value breaks the field's rule, or null when it obeys it. */
function ruleProblem(profile: TargetProfile, field: RuleField, stored: unknown): string | null {
  const shown = JSON.stringify(stored);
  if (field === 'dateOfBirth') return stored === null || stored === '' || (typeof stored === 'string' && isRealDate(stored)) ? null : `${shown} is not a calendar date in YYYY-MM-DD`;
  if (typeof stored !== 'string') return `${shown} is not a string`;
  switch (field) {
    case 'phone': {
      // A leading + (E.164) is not a digit, in the stored number as in the profile's prefix.
      const digits = stored.replace(/^\+/, '');
      const { phoneDigits, phonePrefix } = profile.rules;
      if (!/^[0-9]+$/.test(digits)) return `${shown} is not made of the ASCII digits 0-9 alone`;
      if (digits.length !== phoneDigits) return `${shown} does not have ${phoneDigits} digits`;
      return digits.startsWith(phonePrefix.replace(/^\+/, '')) ? null : `${shown} does not start with ${phonePrefix}`;
    }
    case 'email':
      if (stored.length > MAX_EMAIL_LENGTH) return `${shown.slice(0, 80)}… is ${stored.length} characters long, more than ${MAX_EMAIL_LENGTH}`;
      return /^[^\s\p{Cc}@]+@[^\s\p{Cc}@]+$/u.test(stored) ? null : `${shown} is not an address without whitespace or control characters`;
    case 'role':
      return profile.values.roles.includes(stored) ? null : `${shown} is none of ${profile.values.roles.join(', ')}`;
    case 'gender':
      return stored === '' || profile.values.genders.includes(stored) ? null : `${shown} is none of ${profile.values.genders.join(', ')}`;
  }
}

function isInvalidRefusal(profile: TargetProfile, op: RuleOp, ex: Exchange): boolean {
  return ex.status !== null && refusalStatuses(profile, 'invalid', op).includes(ex.status);
}

/** The current user of a token, as the API describes it. */
async function storedUser(t: CheckContext, access: string): Promise<{ me: Exchange; user: unknown }> {
  const me = await t.api.call('me', { credential: { token: access } });
  t.checks.expectOk(me);
  return { me, user: t.api.read(me, 'user') };
}

/**
 * Sends one value of one field: the operation refuses it as invalid input, or accepts it and the
 * current user then shows a value that obeys the rule.
 */
async function expectRefusedOrStoredByRule(t: CheckContext, target: Target, variant: (valid: string) => string, what: string): Promise<void> {
  const { op, field } = target;
  let access: string;
  let ex: Exchange;
  if (op === 'register') {
    const input = newUserInput(t.faker, t.profile);
    ex = await t.api.call('register', { fields: registerFields({ ...input, [field]: variant(validValue(t, target, input)) }) });
    if (isInvalidRefusal(t.profile, op, ex)) return;
    t.checks.expectOk(ex);
    // Stacks that issue no tokens at registration: log in with the value as it was before the variant.
    access = (tokensOf(t.api, ex) ?? (await t.loginAs(loginId(t.profile, input), input.password))).access;
  } else {
    const account: Account = await t.registerUser();
    ex = await t.api.call('updateProfile', { credential: { token: account.access }, fields: { [field]: variant(validValue(t, target, account)) } });
    if (isInvalidRefusal(t.profile, op, ex)) return;
    t.checks.expectOk(ex);
    access = account.access;
  }
  const { me, user } = await storedUser(t, access);
  const problem = ruleProblem(t.profile, field, userField(t.api, user, field));
  if (problem) fail(`${op}.${field} given ${what} was accepted and stored against its rule: ${problem}`, ex, me);
}

/** Runs a pitfall on every field with a format rule that it concerns; not applicable when none has one. */
async function onEveryRuledField(t: CheckContext, fields: readonly RuleField[], variants: readonly { what: string; make: (valid: string, target: Target) => string }[]): Promise<void> {
  const targets = TARGETS.filter((target) => fields.includes(target.field) && hasRule(t.profile, target));
  if (targets.length === 0) throw new NotApplicable(`the ${t.profile.name} profile gives none of ${fields.join(', ')} a format rule that a user shows`);
  for (const target of targets) {
    for (const v of variants) await expectRefusedOrStoredByRule(t, target, (valid) => v.make(valid, target), v.what);
  }
}

const ARABIC_INDIC_ZERO = 0x0660;
const FULLWIDTH_ZERO = 0xff10;

/** The ASCII digits of a text written with another script's digits. */
function withDigits(text: string, zero: number): string {
  return text.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
}

/** A phone number keeps its prefix in ASCII: a literal prefix check (startswith '92') then passes, and \d does the rest. */
function foreignDigits(valid: string, target: Target, zero: number, profile: TargetProfile): string {
  if (target.field !== 'phone') return withDigits(valid, zero);
  const prefix = profile.rules.phonePrefix;
  return prefix + withDigits(valid.slice(prefix.length), zero);
}

check('ACC-VAL-001', async (t) => {
  await onEveryRuledField(t, ['phone', 'dateOfBirth'], [
    { what: 'Arabic-Indic digits', make: (valid, target) => foreignDigits(valid, target, ARABIC_INDIC_ZERO, t.profile) },
    { what: 'fullwidth digits', make: (valid, target) => foreignDigits(valid, target, FULLWIDTH_ZERO, t.profile) },
  ]);
});

check('ACC-VAL-002', async (t) => {
  await onEveryRuledField(t, ['phone', 'email', 'role', 'gender', 'dateOfBirth'], [{ what: 'a trailing newline', make: (valid) => `${valid}\n` }]);
});

check('ACC-VAL-003', async (t) => {
  const target: Target = { op: 'updateProfile', field: 'dateOfBirth' };
  // Right shape, no such day: February 30, April 31, February 29 of a common year, month 13.
  for (const date of ['2023-02-30', '2023-04-31', '2023-02-29', '2023-13-01']) await expectRefusedOrStoredByRule(t, target, () => date, date);
});

/** Coordinates a location update must refuse: non-finite numbers, as bare JSON tokens and as strings. */
const NON_FINITE_TOKENS = ['NaN', 'Infinity', '-Infinity'] as const;
const NON_FINITE_STRINGS = ['NaN', 'nan', 'Infinity', '-Infinity', 'inf'] as const;

/** A JSON body with a bare token (not JSON, but Python's json reads it) as one coordinate. */
function bareTokenBody(t: CheckContext, coordinate: 'latitude' | 'longitude', token: string) {
  const wire = { latitude: t.api.wireName('updateLocation', 'latitude'), longitude: t.api.wireName('updateLocation', 'longitude') };
  const marker = '"__non_finite__"';
  const fields = { [wire.latitude]: 10, [wire.longitude]: 10, [wire[coordinate]]: '__non_finite__' };
  const text = JSON.stringify(nest({ ...t.profile.constants?.updateLocation, ...fields })).replace(marker, token);
  return Api.raw(text, 'application/json');
}

check('ACC-VAL-004', async (t) => {
  const account = await t.registerUser();
  const credential = { token: account.access };
  for (const coordinate of ['latitude', 'longitude'] as const) {
    for (const value of NON_FINITE_STRINGS) {
      const fields = { latitude: 10, longitude: 10, [coordinate]: value };
      t.checks.expectRefusalStatus(await t.api.call('updateLocation', { credential, fields }), 'invalid');
    }
    // Bare tokens only where the operation takes JSON.
    if (t.profile.operations.updateLocation?.body !== 'json') continue;
    for (const token of NON_FINITE_TOKENS) {
      const ex = { ...(await t.api.callRaw('updateLocation', bareTokenBody(t, coordinate, token), credential)), operation: 'updateLocation' };
      t.checks.expectRefusalStatus(ex, 'invalid');
    }
  }
});

/** The same address with its domain in other letter case: user@Example.COM for user@example.com. */
function domainRecased(email: string): string {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  const [first = '', ...rest] = domain.split('.');
  return `${email.slice(0, at)}@${first.charAt(0).toUpperCase()}${first.slice(1)}${rest.length ? `.${rest.join('.').toUpperCase()}` : ''}`;
}

check('ACC-VAL-005', async (t) => {
  const owner = await t.registerUser();
  const twin = domainRecased(owner.email);
  const ex = await t.api.call('register', { fields: registerFields({ ...newUserInput(t.faker, t.profile), email: twin }) });
  t.checks.expectRefusalStatus(ex, 'invalid');
  if (!t.profile.request.updateProfile?.email || !t.profile.operations.updateProfile) return;
  const other = await t.registerUser();
  t.checks.expectRefusalStatus(await t.api.call('updateProfile', { credential: { token: other.access }, fields: { email: twin } }), 'invalid');
});

check('ACC-VAL-006', async (t) => {
  const account = await t.registerUser();
  const ex = await t.api.call('login', { fields: { username: domainRecased(account.email), password: account.password } });
  t.checks.expectOk(ex);
});

check('ACC-VAL-007', async (t) => {
  await onEveryRuledField(t, ['phone', 'email', 'role', 'gender', 'dateOfBirth'], [{ what: 'leading and trailing whitespace', make: (valid) => `  ${valid} \t` }]);
});

/** A well-formed address of 260 characters: a 64-character local part and labels of 63. */
function overLongEmail(valid: string): string {
  const local = `${valid.split('@')[0]}${'x'.repeat(64)}`.slice(0, 64);
  return `${local}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.com`;
}

check('ACC-VAL-008', async (t) => {
  await onEveryRuledField(t, ['phone', 'email'], [
    {
      what: 'an over-long value',
      make: (valid, target) => (target.field === 'email' ? overLongEmail(valid) : `${valid}${'7'.repeat(10_000)}`),
    },
  ]);
});
