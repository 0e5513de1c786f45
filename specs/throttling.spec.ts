import { NotApplicable } from '../helpers/outcome.js';
import { check, type CheckContext } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import { controlRequest, failedLogins, hammer, retryAfterSeconds, type Hammering } from '../helpers/flows/throttle.js';
import { newPassword, type Account } from '../helpers/flows/users.js';

/** NIST SP 800-63B §5.2.2: no more than 100 consecutive failed attempts on one account. */
const LOGIN_LIMIT = 100;
const SEND_LIMIT = 30;

function wrongLogins(t: CheckContext, account: Account): Promise<Hammering> {
  return failedLogins(t.api, account, newPassword(t.faker), LOGIN_LIMIT);
}

function notThrottled(result: Hammering, what: string, lockout = false): never {
  fail(`${result.attempts} ${what} in a row were never throttled (no 429${lockout ? ', and no lockout of the right password' : ''})`, ...(result.last ? [result.last] : []));
}

check('ACC-THR-001', async (t) => {
  const result = await wrongLogins(t, await t.registerUser());
  if (!result.throttled) notThrottled(result, 'failed logins for one account', true);
});

check('ACC-THR-002', async (t) => {
  const result = await wrongLogins(t, await t.registerUser());
  if (!result.throttled) throw new NotApplicable(`no login was throttled within ${LOGIN_LIMIT} attempts, so there is no 429 to inspect (see ACC-THR-001)`);
  if (result.lockout) throw new NotApplicable('the target throttles failed logins by locking the account, answering like a wrong password: there is no 429 to carry a Retry-After');
  if (retryAfterSeconds(result.throttled) === undefined) fail('the 429 answer carries no usable Retry-After header', result.throttled);
});

check('ACC-THR-003', async (t) => {
  const account = await t.registerUser();
  const channel = t.profile.values.channel.email;
  const result = await hammer(SEND_LIMIT, () => t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel }, retryOnRateLimit: false }), controlRequest(t.api, account.access));
  if (!result.throttled) notThrottled(result, 'send-otp requests for one user');
});

check('ACC-THR-004', async (t) => {
  const account = await t.registerUser();
  const result = await hammer(SEND_LIMIT, () => t.api.call('resetRequest', { fields: { identifier: account.email }, retryOnRateLimit: false }), controlRequest(t.api, account.access));
  if (!result.throttled) notThrottled(result, 'reset requests for one identifier');
});
