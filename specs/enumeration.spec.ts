import { check } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { sameShape, shapeOf } from '../helpers/wire/shape.js';
import { attemptLogin, loginId, newPassword, uniqueEmail } from '../helpers/flows/users.js';

/** Two answers an attacker must not be able to tell apart: same status, same body structure. */
function expectAlike(known: Exchange, unknown: Exchange, what: string): void {
  if (known.status !== unknown.status) fail(`${what}: ${known.status} for an existing account, ${unknown.status} for an unknown one`, known, unknown);
  if (!sameShape(known.json, unknown.json)) {
    fail(`${what}: the answers differ in structure (${JSON.stringify(shapeOf(known.json))} vs ${JSON.stringify(shapeOf(unknown.json))})`, known, unknown);
  }
}

check('ACC-ENUM-001', async ({ api, registerUser, faker }) => {
  const account = await registerUser();
  const known = await api.call('resetRequest', { fields: { identifier: account.email } });
  const unknown = await api.call('resetRequest', { fields: { identifier: uniqueEmail(faker) } });
  expectAlike(known, unknown, 'a reset request tells whether an account exists');
});

check('ACC-ENUM-002', async ({ api, registerUser, faker }) => {
  const account = await registerUser();
  const wrongPassword = await attemptLogin(api, loginId(api.profile, account), newPassword(faker));
  const unknownUser = await attemptLogin(api, uniqueEmail(faker), newPassword(faker));
  expectAlike(wrongPassword, unknownUser, 'a failed login tells whether an account exists');
});
