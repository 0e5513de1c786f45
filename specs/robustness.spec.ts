import { Api } from '../helpers/wire/api.js';
import type { RequirementId } from '../requirements/catalogue.js';
import { check, type CheckContext } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { operationsOf } from '../helpers/wire/profile.js';
import { newUserInput, registerFields, type NewUser } from '../helpers/flows/users.js';

/** Any answer but a 5xx or no answer at all: a refusal or an acceptance are both fine here. */
function expectNoServerError(answers: readonly Exchange[]): void {
  const bad = answers.filter((ex) => ex.status === null || ex.status >= 500);
  if (bad.length) fail(`${bad.length} of ${answers.length} requests produced ${bad.map((ex) => ex.status ?? ex.failure).join(', ')}`, ...bad.slice(0, 2));
}

/** One invalid value for one registration field; the others stay valid. */
interface Mutation {
  readonly field: keyof NewUser;
  readonly values: Partial<Record<keyof NewUser, unknown>>;
}

const mutations: readonly { id: RequirementId; variants: readonly Mutation[] }[] = [
  {
    id: 'ACC-ROB-001',
    variants: [
      { field: 'fullName', values: { fullName: 'N'.repeat(10_000) } },
      { field: 'email', values: { email: `${'a'.repeat(5000)}@example.com` } },
      { field: 'password', values: { password: 'p'.repeat(5000), passwordConfirm: 'p'.repeat(5000) } },
    ],
  },
  {
    id: 'ACC-ROB-002',
    variants: [
      { field: 'fullName', values: { fullName: 'Zoë 🚀 \u202emirroR مرحبا 日本' } },
      { field: 'fullName', values: { fullName: 'nul\u0000byte' } },
      { field: 'phone', values: { phone: '٩٢٣٠٠١٢٣٤٥٦٧' } },
    ],
  },
  {
    id: 'ACC-ROB-003',
    variants: [
      { field: 'password', values: { password: 12345678, passwordConfirm: 12345678 } },
      { field: 'password', values: { password: null } },
      { field: 'email', values: { email: ['a@example.com'] } },
      { field: 'role', values: { role: { name: 'POSTER' } } },
      { field: 'phone', values: { phone: 923001234567 } },
      { field: 'fullName', values: { fullName: true } },
    ],
  },
];

for (const row of mutations) {
  check(row.id, async (t) => {
    // Only a variant that changes a field the profile maps reaches the server with its subject.
    const variants = row.variants.filter((v) => t.profile.request.register?.[v.field]);
    const answers = await Promise.all(variants.map((v) => t.api.call('register', { fields: { ...registerFields(newUserInput(t.faker, t.profile)), ...v.values } })));
    expectNoServerError(answers);
  });
}

check('ACC-ROB-004', async (t: CheckContext) => {
  const account = await t.registerUser();
  const bodies = [Api.raw('<user><name>x</name></user>', 'text/xml'), Api.raw('name=x&&&=', 'application/x-www-form-urlencoded'), Api.raw('--x\r\n', 'multipart/form-data')];
  const answers = await Promise.all(
    operationsOf(t.profile).filter((op) => t.profile.operations[op]?.body !== 'none').flatMap((op) => bodies.map((body) => t.api.callRaw(op, body, { token: account.access }))),
  );
  expectNoServerError(answers);
});
