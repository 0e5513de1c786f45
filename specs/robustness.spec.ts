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

type Mutation = (valid: NewUser) => Record<string, unknown>;

const mutations: readonly { id: RequirementId; variants: readonly Mutation[] }[] = [
  {
    id: 'ACC-ROB-001',
    variants: [(v) => ({ ...v, fullName: 'N'.repeat(10_000) }), (v) => ({ ...v, email: `${'a'.repeat(5000)}@example.com` }), (v) => ({ ...v, password: 'p'.repeat(5000), passwordConfirm: 'p'.repeat(5000) })],
  },
  {
    id: 'ACC-ROB-002',
    variants: [(v) => ({ ...v, fullName: 'Zoë 🚀 \u202emirroR مرحبا 日本' }), (v) => ({ ...v, fullName: 'nul\u0000byte' }), (v) => ({ ...v, phone: '٩٢٣٠٠١٢٣٤٥٦٧' })],
  },
  {
    id: 'ACC-ROB-003',
    variants: [
      (v) => ({ ...v, password: 12345678, passwordConfirm: 12345678 }),
      (v) => ({ ...v, password: null }),
      (v) => ({ ...v, email: ['a@example.com'] }),
      (v) => ({ ...v, role: { name: 'POSTER' } }),
      (v) => ({ ...v, phone: 923001234567, fullName: true }),
    ],
  },
];

for (const row of mutations) {
  check(row.id, async (t) => {
    const answers = await Promise.all(row.variants.map((mutate) => t.api.call('register', { fields: registerFields(mutate(newUserInput(t.faker, t.profile)) as Partial<NewUser>) })));
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
