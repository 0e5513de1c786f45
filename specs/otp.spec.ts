import { check, type CheckContext } from '../helpers/check.js';
import { expectEqual, expectThat, fail, NotApplicable } from '../helpers/checks.js';
import { wrongCode } from '../helpers/otp.js';
import { newPassword, userField, type Account } from '../helpers/users.js';

type Channel = 'email' | 'phone';

async function sendCode(t: CheckContext, account: Account, channel: Channel): Promise<void> {
  const ex = await t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel: t.profile.values.channel[channel] } });
  t.checks.expectOk(ex);
}

function verify(t: CheckContext, account: Account, channel: Channel, code: string) {
  return t.api.call('verifyOtp', { credential: { token: account.access }, fields: { channel: t.profile.values.channel[channel], code } });
}

async function meFlag(t: CheckContext, account: Account, flag: 'emailVerified' | 'phoneVerified') {
  const ex = await t.api.call('me', { credential: { token: account.access } });
  t.checks.expectOk(ex);
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
  checks.expectRefused(ex, 'invalid');
});

for (const [id, channel, flag] of [['ACC-OTP-004', 'email', 'emailVerified'], ['ACC-OTP-005', 'phone', 'phoneVerified']] as const) {
  check(id, async (t) => {
    const account = await t.registerUser();
    await sendCode(t, account, channel);
    const code = await t.readOtp({ identifier: account[channel], channel, purpose: 'verify' });
    t.checks.expectOk(await verify(t, account, channel, code));
    const { ex, value } = await meFlag(t, account, flag);
    expectEqual(ex, value, true, `the ${channel} verification flag after verifying the ${channel}`);
  });
}

check('ACC-OTP-006', async (t) => {
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const real = t.otp.available ? await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' }) : null;
  const ex = await verify(t, account, 'email', wrongCode(real));
  t.checks.expectRefused(ex, 'invalid');
  t.checks.expectFieldError(ex, t.api.wireName('verifyOtp', 'code'));
});

check('ACC-OTP-007', async (t) => {
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  t.checks.expectOk(await verify(t, account, 'email', code));
  t.checks.expectRefused(await verify(t, account, 'email', code), 'invalid');
});

check('ACC-OTP-008', async (t) => {
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  t.checks.expectRefused(await verify(t, account, 'phone', code), 'invalid');
  const { ex, value } = await meFlag(t, account, 'phoneVerified');
  expectEqual(ex, value, false, 'the phone verification flag after presenting the email code for the phone');
});

check('ACC-OTP-009', async (t) => {
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  for (let i = 0; i < 10; i++) {
    const guess = await verify(t, account, 'email', wrongCode(code));
    // Throttling the guesses is as good as burning the code.
    if (guess.status === 429) return;
  }
  const ex = await verify(t, account, 'email', code);
  expectThat(ex, ex.status !== 200, 'the right code still verified after 10 wrong guesses: the code can be brute-forced');
});

check('ACC-OTP-010', async (t) => {
  if (t.settings.otpSource?.kind === 'fixed') throw new NotApplicable('the OTP source is a fixed code from the configuration, not one the server generated');
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  if (!/^\d{6}$/.test(code)) fail(`the code the server sent has ${code.length} characters${/^\d+$/.test(code) ? '' : ', not all digits'}; the contract says 6 digits`);
});

check('ACC-OTP-011', async (t) => {
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  const next = newPassword(t.faker);
  const fields = { identifier: account.email, code, newPassword: next, newPasswordConfirm: next };
  t.checks.expectRefused(await t.api.call('resetConfirm', { fields }), 'invalid');
});

check('ACC-OTP-012', async (t) => {
  const account = await t.registerUser();
  const answers = [
    await t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel: t.profile.values.channel.email } }),
    await t.api.call('resetRequest', { fields: { identifier: account.email } }),
  ];
  const codes = [
    await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' }),
    await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'reset' }),
  ];
  answers.forEach((ex, i) => {
    t.checks.expectOk(ex);
    expectThat(ex, !ex.text.includes(codes[i] as string), 'the answer carries the code it just sent out of band');
  });
});
