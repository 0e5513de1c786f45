import type { RequirementId } from '../requirements/catalogue.js';
import { check, type CheckContext } from '../helpers/harness/check.js';
import { expectEqual, expectSchema, expectThat, fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { makePng } from '../helpers/wire/images.js';
import type { UserField } from '../helpers/wire/profile.js';
import { uniqueEmail, userField, type Account } from '../helpers/flows/users.js';

type ChangeField = 'email' | 'role' | 'fullName' | 'bio' | 'dateOfBirth' | 'gender';
/** New values for the profile fields the dialect's update takes, in neutral names. */
type Changes = Partial<Record<ChangeField, string>>;

/**
 * A change for every field the profile's update maps: a role other than the user's, where the
 * dialect names another; a gender, where it names one. Only what is sent is compared.
 */
function changesFor(t: CheckContext, account: Account): Changes {
  const roles = t.profile.values.roles.filter((r) => r !== account.role);
  const all: Changes = {
    email: uniqueEmail(t.faker),
    role: roles.length ? t.faker.helpers.arrayElement(roles) : undefined,
    fullName: t.faker.person.fullName(),
    bio: t.faker.lorem.sentence(),
    dateOfBirth: t.faker.date.birthdate({ mode: 'age', min: 18, max: 80 }).toISOString().slice(0, 10),
    gender: t.profile.values.genders.length ? t.faker.helpers.arrayElement(t.profile.values.genders) : undefined,
  };
  const mapped = t.profile.request.updateProfile ?? {};
  return Object.fromEntries(Object.entries(all).filter(([field, value]) => value !== undefined && mapped[field])) as Changes;
}

const avatar = { filename: 'avatar.png', contentType: 'image/png', bytes: makePng(16, 16, 7) };

function update(t: CheckContext, account: Account, fields: Record<string, unknown>, withImage = true) {
  return t.api.call('updateProfile', { credential: { token: account.access }, fields, files: withImage ? { image: avatar } : {} });
}

function expectChanges(t: CheckContext, ex: Exchange, user: unknown, changes: Changes, where: string): void {
  for (const [field, value] of Object.entries(changes) as [UserField, string][]) {
    // A field the user does not show (a bio the dialect keeps elsewhere) cannot be compared.
    if (t.profile.user[field] === undefined) continue;
    const actual = userField(t.api, user, field);
    const same = field === 'email' ? String(actual).toLowerCase() === value.toLowerCase() : actual === value;
    expectThat(ex, same, `${where}: the ${field} should be ${JSON.stringify(value)}, got ${JSON.stringify(actual)}`);
  }
}

/** An update with every mapped change, and the image where the profile maps one and it is wanted. */
async function updated(t: CheckContext, withImage = true): Promise<{ account: Account; changes: Changes; ex: Exchange; user: unknown }> {
  const account = await t.registerUser();
  const changes = changesFor(t, account);
  const answer = await update(t, account, { ...changes }, withImage && t.profile.request.updateProfile?.image !== undefined);
  t.checks.expectOk(answer);
  // An update that answers without the user (updateAnswersUser false): the user is read back.
  const ex = t.profile.updateAnswersUser === false ? await t.api.call('me', { credential: { token: account.access } }) : answer;
  if (ex !== answer) t.checks.expectOk(ex);
  const user = t.api.read(ex, 'user');
  expectSchema(ex, user, t.api.profile.schemas.user, 'data');
  return { account, changes, ex, user };
}

check('ACC-PROF-001', async (t) => {
  const { changes, ex, user } = await updated(t);
  expectChanges(t, ex, user, changes, 'the answer');
  expectThat(ex, typeof userField(t.api, user, 'image') === 'string', 'the answer has no profile image after uploading one');
});

check('ACC-PROF-002', async (t) => {
  // The changes alone: whether they are stored does not hang on the image (ACC-PROF-001/003).
  const { account, changes } = await updated(t, false);
  const me = await t.api.call('me', { credential: { token: account.access } });
  t.checks.expectOk(me);
  expectChanges(t, me, t.api.read(me, 'user'), changes, 'the current user after the update');
});

check('ACC-PROF-003', async (t) => {
  const { ex, user } = await updated(t);
  const image = userField(t.api, user, 'image');
  if (typeof image !== 'string' || !/^https?:\/\//.test(image)) fail(`the profile image should be an absolute URL, got ${JSON.stringify(image)}`, ex);
  const served = await t.api.fetchUrl(image);
  expectThat(served, served.status === 200, `the profile image URL answered ${served.status ?? served.failure}, not 200`);
  expectThat(served, /^image\//i.test(served.contentType), `the profile image URL served ${served.contentType || 'no content-type'}, not image/*`);
  expectThat(served, served.bytes.length > 0, 'the profile image URL served an empty body');
});

check('ACC-PROF-004', async (t) => {
  const account = await t.registerUser();
  const text = { filename: 'notes.txt', contentType: 'text/plain', bytes: Buffer.from('this is not an image\n') };
  const ex = await t.api.call('updateProfile', { credential: { token: account.access }, files: { image: text } });
  t.checks.expectRefused(ex, 'invalid');
});

const invalidUpdates: readonly { id: RequirementId; values: readonly Record<string, string>[] }[] = [
  { id: 'ACC-PROF-005', values: [{ role: 'ADMIN' }] },
  { id: 'ACC-PROF-006', values: [{ gender: 'X' }] },
  { id: 'ACC-PROF-007', values: [{ dateOfBirth: '1990-13-45' }, { dateOfBirth: 'not-a-date' }] },
];

for (const row of invalidUpdates) {
  check(row.id, async (t) => {
    const account = await t.registerUser();
    for (const fields of row.values) t.checks.expectRefused(await update(t, account, fields, false), 'invalid');
  });
}

check('ACC-PROF-008', async (t) => {
  const account = await t.registerUser();
  const send = await t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel: t.profile.values.channel.email } });
  t.checks.expectOk(send);
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  const verified = await t.api.call('verifyOtp', { credential: { token: account.access }, fields: { channel: t.profile.values.channel.email, code } });
  t.checks.expectOk(verified);
  const ex = await update(t, account, { email: uniqueEmail(t.faker) }, false);
  t.checks.expectOk(ex);
  if (t.profile.updateAnswersUser !== false) expectEqual(ex, userField(t.api, t.api.read(ex, 'user'), 'emailVerified'), false, 'the email verification flag after changing the email');
  const me = await t.api.call('me', { credential: { token: account.access } });
  t.checks.expectOk(me);
  expectEqual(me, userField(t.api, t.api.read(me, 'user'), 'emailVerified'), false, 'the email verification flag of the current user after changing the email');
});

check('ACC-PROF-009', async (t) => {
  const [owner, other] = await Promise.all([t.registerUser(), t.registerUser()]);
  const ex = await update(t, other, { email: owner.email }, false);
  t.checks.expectRefused(ex, 'invalid');
  t.checks.expectFieldError(ex, t.api.wireName('updateProfile', 'email'));
});

check('ACC-PROF-010', async (t) => {
  const account = await t.registerUser();
  const fields = { fullName: t.faker.person.fullName() };
  const ex = await t.api.call('updateProfile', { credential: { token: account.access }, fields, privileged: { emailVerified: 'true', phoneVerified: 'true', rating: '5' } });
  if (await t.checks.refusedForSubject(ex, () => t.api.call('updateProfile', { credential: { token: account.access }, fields }), 'the privileged fields')) return;
  t.checks.expectOk(ex);
  const me = await t.api.call('me', { credential: { token: account.access } });
  t.checks.expectOk(me);
  const user = t.api.read(me, 'user');
  expectEqual(me, userField(t.api, user, 'emailVerified'), false, 'the email verification flag after sending true');
  expectEqual(me, userField(t.api, user, 'phoneVerified'), false, 'the phone verification flag after sending true');
  expectEqual(me, userField(t.api, user, 'rating'), 0, 'the rating after sending 5');
});
