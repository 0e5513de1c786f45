import type { RequirementId } from '../requirements/catalogue.js';
import { check } from '../helpers/harness/check.js';
import type { TargetProfile } from '../helpers/wire/profile.js';
import { expectEqual, expectSchema, expectThat } from '../helpers/checks.js';
import { expectUserEchoes, newUserInput, registeredUser, registerFields, shortPassword, tokensOf, userField, type NewUser } from '../helpers/flows/users.js';

check('ACC-REG-001', async ({ api, checks, faker }) => {
  const ex = await api.call('register', { fields: registerFields(newUserInput(faker, api.profile)) });
  checks.expectOk(ex);
  expectSchema(ex, api.read(ex, 'authData'), api.profile.schemas.authData, 'data');
  if (api.profile.registerIssuesTokens !== false) expectThat(ex, tokensOf(api, ex) !== undefined, 'the answer carries no access and refresh tokens');
});

check('ACC-REG-002', async ({ api, checks, faker }) => {
  // The last role, not the first: a server that stores its default role whatever is sent is caught.
  const input = newUserInput(faker, api.profile, api.profile.values.roles.at(-1));
  const ex = await api.call('register', { fields: registerFields(input) });
  checks.expectOk(ex);
  // Only what the dialect's registration sends can be echoed (seed 004 takes no phone).
  const sent = (['phone', 'email', 'role'] as const).filter((field) => api.profile.request.register?.[field]);
  const made = await registeredUser(api, ex);
  expectUserEchoes(api, made.ex, made.user, input, sent);
});

check('ACC-REG-003', async ({ api, checks, faker }) => {
  const ex = await api.call('register', { fields: registerFields(newUserInput(faker, api.profile)) });
  checks.expectOk(ex);
  const made = await registeredUser(api, ex);
  // A flag is judged for an address the registration sent: a user registered without a phone has no phone to verify.
  if (api.profile.request.register?.phone !== undefined && api.profile.user.phoneVerified !== undefined) expectEqual(made.ex, userField(api, made.user, 'phoneVerified'), false, 'is the phone verified');
  expectEqual(made.ex, userField(api, made.user, 'emailVerified'), false, 'is the email verified');
});

check('ACC-REG-004', async ({ api, checks, faker }) => {
  const input = newUserInput(faker, api.profile);
  const ex = await api.call('register', { fields: registerFields(input) });
  checks.expectOk(ex);
  const made = await registeredUser(api, ex);
  expectEqual(made.ex, userField(api, made.user, 'fullName'), input.fullName, 'the profile full name');
});

check('ACC-REG-005', async ({ api, checks, faker }) => {
  for (const role of api.profile.values.roles) {
    const ex = await api.call('register', { fields: registerFields(newUserInput(faker, api.profile, role)) });
    checks.expectOk(ex);
    const made = await registeredUser(api, ex);
    expectEqual(made.ex, userField(api, made.user, 'role'), role, `the role of a user registered as ${role}`);
  }
});

interface InvalidRegistration {
  readonly id: RequirementId;
  /** Neutral name of the field the server must name in errors; null when any field may carry the error. */
  readonly field: keyof NewUser | null;
  /** Each variant of the invalid input, applied to a valid registration. */
  readonly variants: readonly ((valid: NewUser, profile: TargetProfile) => Partial<Record<keyof NewUser, string | undefined>>)[];
}

const invalidRegistrations: readonly InvalidRegistration[] = [
  { id: 'ACC-REG-006', field: 'phone', variants: [(v) => ({ phone: v.phone.slice(0, -1) }), (v) => ({ phone: `${v.phone}7` })] },
  { id: 'ACC-REG-007', field: 'phone', variants: [(v) => ({ phone: `93${v.phone.slice(2)}` })] },
  { id: 'ACC-REG-008', field: 'phone', variants: [(v) => ({ phone: `${v.phone.slice(0, -1)}a` })] },
  { id: 'ACC-REG-009', field: 'email', variants: [() => ({ email: 'not-an-email' }), (v) => ({ email: v.email.replace('@', '@@') })] },
  { id: 'ACC-REG-010', field: 'email', variants: [() => ({ email: undefined })] },
  { id: 'ACC-REG-011', field: 'password', variants: [(_v, profile) => ({ password: shortPassword(profile), passwordConfirm: shortPassword(profile) })] },
  { id: 'ACC-REG-012', field: null, variants: [(v) => ({ passwordConfirm: `${v.password}x` })] },
  { id: 'ACC-REG-013', field: 'role', variants: [() => ({ role: 'ADMIN' })] },
];

for (const row of invalidRegistrations) {
  check(row.id, async ({ api, checks, faker }) => {
    for (const variant of row.variants) {
      const valid = newUserInput(faker, api.profile);
      const ex = await api.call('register', { fields: registerFields({ ...valid, ...variant(valid, api.profile) }) });
      checks.expectRefused(ex, 'invalid');
      if (row.field) checks.expectFieldError(ex, api.wireName('register', row.field));
    }
  });
}

check('ACC-REG-014', async ({ api, checks, faker, registerUser }) => {
  const first = await registerUser();
  const ex = await api.call('register', { fields: registerFields({ ...newUserInput(faker, api.profile), email: first.email }) });
  checks.expectRefused(ex, 'invalid');
  checks.expectFieldError(ex, api.wireName('register', 'email'));
});

check('ACC-REG-015', async ({ api, checks, faker, registerUser }) => {
  const first = await registerUser();
  const ex = await api.call('register', { fields: registerFields({ ...newUserInput(faker, api.profile), phone: first.phone }) });
  checks.expectRefused(ex, 'invalid');
  checks.expectFieldError(ex, api.wireName('register', 'phone'));
});

check('ACC-REG-016', async ({ api, checks, faker }) => {
  const fields = registerFields(newUserInput(faker, api.profile));
  const ex = await api.call('register', { fields, privileged: { emailVerified: true, phoneVerified: true, rating: 5, tasksPosted: 99, tasksCompleted: 99 } });
  // Refusing the privileged fields outright is as good as ignoring them.
  if (await checks.refusedForSubject(ex, () => api.call('register', { fields: registerFields(newUserInput(faker, api.profile)) }), 'the privileged fields')) return;
  checks.expectOk(ex);
  const { ex: shown, user } = await registeredUser(api, ex);
  expectEqual(shown, userField(api, user, 'emailVerified'), false, 'the email verification flag after sending true');
  expectEqual(shown, userField(api, user, 'phoneVerified'), false, 'the phone verification flag after sending true');
  expectEqual(shown, userField(api, user, 'rating'), 0, 'the rating after sending 5');
  expectEqual(shown, userField(api, user, 'tasksPosted'), 0, 'the tasks-posted counter after sending 99');
  expectEqual(shown, userField(api, user, 'tasksCompleted'), 0, 'the tasks-completed counter after sending 99');
});
