import type { RequirementId } from '../requirements/catalogue.js';
import { check } from '../helpers/harness/check.js';

check('ACC-LOC-001', async ({ api, checks, registerUser, faker }) => {
  const account = await registerUser();
  const fields = { latitude: faker.location.latitude(), longitude: faker.location.longitude() };
  checks.expectOk(await api.call('updateLocation', { credential: { token: account.access }, fields }));
});

const invalid: readonly { id: RequirementId; values: readonly Record<string, unknown>[] }[] = [
  { id: 'ACC-LOC-002', values: [{ latitude: 91, longitude: 10 }, { latitude: -90.5, longitude: 10 }] },
  { id: 'ACC-LOC-003', values: [{ latitude: 10, longitude: 181 }, { latitude: 10, longitude: -180.5 }] },
  { id: 'ACC-LOC-004', values: [{ latitude: 'north', longitude: 10 }, { latitude: 10, longitude: 'east' }] },
];

for (const row of invalid) {
  check(row.id, async ({ api, checks, registerUser }) => {
    const account = await registerUser();
    for (const fields of row.values) checks.expectRefused(await api.call('updateLocation', { credential: { token: account.access }, fields }), 'invalid');
  });
}

check('ACC-LOC-005', async ({ api, checks }) => {
  checks.expectRefused(await api.call('updateLocation', { credential: null, fields: { latitude: 10, longitude: 10 } }), 'unauthorized');
});
