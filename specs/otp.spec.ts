import { check, type CheckContext } from '../helpers/check.js';
import { expectEqual } from '../helpers/checks.js';
import { userField, type Account } from '../helpers/users.js';

type Channel = 'email' | 'phone';

async function sendCode(t: CheckContext, account: Account, channel: Channel): Promise<void> {
  const ex = await t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel: t.profile.values.channel[channel] } });
  t.checks.expectOk(ex, 200);
}

function verify(t: CheckContext, account: Account, channel: Channel, code: string) {
  return t.api.call('verifyOtp', { credential: { token: account.access }, fields: { channel: t.profile.values.channel[channel], code } });
}

/** A six-digit code that is not `code`. */
function otherCode(code: string | null): string {
  const candidate = '000000';
  return candidate === code ? '999999' : candidate;
}

async function meFlag(t: CheckContext, account: Account, flag: 'emailVerified' | 'phoneVerified') {
  const ex = await t.api.call('me', { credential: { token: account.access } });
  t.checks.expectOk(ex, 200);
  return { ex, value: userField(t.api, t.api.read(ex, 'user'), flag) };
}

for (const [id, channel] of [['ACC-OTP-001', 'email'], ['ACC-OTP-002', 'phone']] as const) {
  check(id, async (t) => {
    const account = await t.registerUser();
    await sendCode(t, account, channel);
  });
}

check('ACC-OTP-003', async ({ api, checks, registerUser }) => {
  const account = await registerUser();
  const ex = await api.call('sendOtp', { credential: { token: account.access }, fields: { channel: 'carrier-pigeon' } });
  checks.expectRefused(ex, 400);
});

for (const [id, channel, flag] of [['ACC-OTP-004', 'email', 'emailVerified'], ['ACC-OTP-005', 'phone', 'phoneVerified']] as const) {
  check(id, async (t) => {
    const account = await t.registerUser();
    await sendCode(t, account, channel);
    const code = await t.readOtp({ identifier: account[channel], channel, purpose: 'verify' });
    t.checks.expectOk(await verify(t, account, channel, code), 200);
    const { ex, value } = await meFlag(t, account, flag);
    expectEqual(ex, value, true, `the ${channel} verification flag after verifying the ${channel}`);
  });
}

check('ACC-OTP-006', async (t) => {
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const real = t.otp.available ? await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' }) : null;
  const ex = await verify(t, account, 'email', otherCode(real));
  t.checks.expectRefused(ex, 400);
  t.checks.expectFieldError(ex, t.api.wireName('verifyOtp', 'code'));
});

check('ACC-OTP-007', async (t) => {
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  t.checks.expectOk(await verify(t, account, 'email', code), 200);
  t.checks.expectRefused(await verify(t, account, 'email', code), 400);
});

check('ACC-OTP-008', async (t) => {
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  t.checks.expectRefused(await verify(t, account, 'phone', code), 400);
  const { ex, value } = await meFlag(t, account, 'phoneVerified');
  expectEqual(ex, value, false, 'the phone verification flag after presenting the email code for the phone');
});

