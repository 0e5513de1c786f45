import type { Credential } from '../helpers/wire/api.js';
import type { RequirementId } from '../requirements/catalogue.js';
import { check, type CheckContext } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { operationsOf, refusalStatuses, type OperationId } from '../helpers/wire/profile.js';
import { tamperSignature, unsignedCopy } from '../helpers/wire/tokens.js';
import type { Account } from '../helpers/flows/users.js';

/** Plausible inputs per protected operation, so that only the credential is wrong. */
function sampleFields(t: CheckContext, op: OperationId): Record<string, unknown> {
  const { channel } = t.profile.values;
  const password = 'Sample#Pass123';
  const samples: Partial<Record<OperationId, Record<string, unknown>>> = {
    sendOtp: { channel: channel.email },
    verifyOtp: { channel: channel.email, code: '123456' },
    updateProfile: { fullName: t.faker.person.fullName() },
    changePassword: { oldPassword: password, newPassword: `${password}x`, newPasswordConfirm: `${password}x` },
    updateLocation: { latitude: 33.6, longitude: 73.0 },
  };
  return samples[op] ?? {};
}

interface Attack {
  readonly id: RequirementId;
  readonly credentials: (account: Account) => readonly Credential[];
}

const attacks: readonly Attack[] = [
  { id: 'ACC-AUTH-001', credentials: () => [null] },
  { id: 'ACC-AUTH-002', credentials: (a) => [{ header: 'Bearer' }, { header: 'Bearer x y' }, { header: `Bearer  ${a.access} extra` }] },
  { id: 'ACC-AUTH-003', credentials: (a) => [{ token: tamperSignature(a.access) }] },
  { id: 'ACC-AUTH-004', credentials: (a) => [{ token: unsignedCopy(a.access) }] },
  { id: 'ACC-AUTH-005', credentials: (a) => [{ token: a.refresh }] },
];

for (const attack of attacks) {
  check(attack.id, async (t) => {
    const account = await t.registerUser();
    const protectedOps = operationsOf(t.profile).filter((op) => t.profile.operations[op]?.auth);
    const probes = protectedOps.flatMap((op) => attack.credentials(account).map((credential) => ({ op, credential })));
    const answers = await Promise.all(probes.map((p) => t.api.call(p.op, { credential: p.credential, fields: sampleFields(t, p.op) })));
    const wrong: Exchange[] = answers.filter((ex) => !t.checks.isRefusal(ex, 'unauthorized'));
    if (wrong.length) {
      const list = wrong.map((ex) => `${ex.request.method} ${new URL(ex.request.url).pathname} → ${ex.status ?? ex.failure}`).join(', ');
      fail(`${wrong.length} of ${answers.length} requests were not refused with ${refusalStatuses(t.profile, 'unauthorized').join(' or ')}: ${list}`, ...wrong.slice(0, 2));
    }
  });
}
