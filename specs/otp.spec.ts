import { NotApplicable } from '../helpers/outcome.js';
import { successStatuses } from '../helpers/wire/profile.js';
import { check, type CheckContext } from '../helpers/harness/check.js';
import { expectEqual, expectSchema, expectThat, fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { codeSequence, wrongCode } from '../helpers/flows/otp.js';
import { requestReset, resetPassword } from '../helpers/flows/reset.js';
import { expectUserEchoes, newPassword, tokensOf, uniquePhone, userField, type Account } from '../helpers/flows/users.js';

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

/** A code's life, whichever the profile's OTP style: sent, read out of band, presented. */
interface CodeFlow {
  send(): Promise<Exchange>;
  read(): Promise<string>;
  present(code: string): Promise<Exchange>;
}

/** A phone to sign in with: a registered user's when registration takes a phone, else a fresh number. */
async function signInPhone(t: CheckContext): Promise<string> {
  return t.profile.request.register?.phone ? (await t.registerUser()).phone : uniquePhone(t.profile);
}

function signInFlow(t: CheckContext, phone: string): CodeFlow {
  return {
    send: () => t.api.call('sendOtp', { fields: { phone } }),
    read: () => t.readOtp({ identifier: phone, channel: 'phone', purpose: 'verify' }),
    present: (code) => t.api.call('verifyOtp', { fields: { phone, code } }),
  };
}

async function codeFlow(t: CheckContext): Promise<CodeFlow> {
  if (t.profile.otpStyle === 'sign-in') return signInFlow(t, await signInPhone(t));
  const account = await t.registerUser();
  const channel = t.profile.values.channel.email;
  return {
    send: () => t.api.call('sendOtp', { credential: { token: account.access }, fields: { channel } }),
    read: () => t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' }),
    present: (code) => verify(t, account, 'email', code),
  };
}

async function sentCode(t: CheckContext, flow: CodeFlow): Promise<string> {
  t.checks.expectOk(await flow.send());
  return flow.read();
}

check('ACC-OTP-009', async (t) => {
  const flow = await codeFlow(t);
  const code = await sentCode(t, flow);
  for (let i = 0; i < 10; i++) {
    const guess = await flow.present(wrongCode(code));
    // Throttling the guesses is as good as burning the code.
    if (guess.status === 429) return;
  }
  const ex = await flow.present(code);
  const worked = successStatuses(t.profile, 'verifyOtp');
  expectThat(ex, ex.status === null || !worked.includes(ex.status), 'the right code still worked after 10 wrong guesses: the code can be brute-forced');
});

check('ACC-OTP-010', async (t) => {
  if (t.settings.otpSource?.kind === 'fixed') throw new NotApplicable('the OTP source is a fixed code from the configuration, not one the server generated');
  const code = await sentCode(t, await codeFlow(t));
  if (!/^\d{6}$/.test(code)) fail(`the code the server sent has ${code.length} characters${/^\d+$/.test(code) ? '' : ', not all digits'}; the contract says 6 digits`);
});

check('ACC-OTP-011', async (t) => {
  const account = await t.registerUser();
  await sendCode(t, account, 'email');
  const code = await t.readOtp({ identifier: account.email, channel: 'email', purpose: 'verify' });
  t.checks.expectRefused(await resetPassword(t, account, { code }, newPassword(t.faker)), 'invalid');
});

check('ACC-OTP-012', async (t) => {
  const flow = await codeFlow(t);
  const sent = await flow.send();
  const answers: [Exchange, string][] = [[sent, await flow.read()]];
  // A reset code (or the one token of a reset mail) too, where the reset sends one.
  if (t.profile.operations.resetRequest && t.profile.resetStyle !== 'link') {
    const account = await t.registerUser();
    const req = { identifier: account.email, channel: 'email', purpose: 'reset' } as const;
    const sent = await requestReset(t, account);
    answers.push([sent, t.profile.resetStyle === 'token' ? await t.otp.readToken(req) : await t.readOtp(req)]);
  }
  for (const [ex, code] of answers) {
    t.checks.expectOk(ex);
    expectThat(ex, !ex.text.includes(code), 'the answer carries the code it just sent out of band');
  }
});

// Sign-in by a code sent to a phone (otpStyle sign-in, seed 004 §2).

check('ACC-OTP-013', async (t) => {
  t.checks.expectOk(await signInFlow(t, await signInPhone(t)).send());
});

check('ACC-OTP-014', async (t) => {
  const phone = await signInPhone(t);
  const flow = signInFlow(t, phone);
  const ex = await flow.present(await sentCode(t, flow));
  t.checks.expectOk(ex);
  expectSchema(ex, t.api.read(ex, 'otpData'), t.profile.schemas.loginData, 'data');
  expectThat(ex, tokensOf(t.api, ex) !== undefined, 'the answer carries no access and refresh tokens');
  if (t.profile.response.otpUser !== undefined) expectUserEchoes(t.api, ex, t.api.read(ex, 'otpUser'), { phone }, ['phone']);
});

check('ACC-OTP-015', async (t) => {
  const flow = signInFlow(t, await signInPhone(t));
  t.checks.expectOk(await flow.send());
  const real = t.otp.available ? await flow.read() : null;
  const ex = await flow.present(wrongCode(real));
  t.checks.expectRefused(ex, 'invalid');
  expectThat(ex, tokensOf(t.api, ex) === undefined, 'a refused sign-in answered tokens');
});

check('ACC-OTP-016', async (t) => {
  const flow = signInFlow(t, await signInPhone(t));
  const code = await sentCode(t, flow);
  t.checks.expectOk(await flow.present(code));
  t.checks.expectRefused(await flow.present(code), 'invalid');
});

check('ACC-OTP-017', async (t) => {
  const [owner, other] = [signInFlow(t, await signInPhone(t)), signInFlow(t, await signInPhone(t))];
  const [ownerCode, otherCode] = await Promise.all([sentCode(t, owner), sentCode(t, other)]);
  // Codes the server generated (the check needs real codes): the same code for both is ACC-OTP-019's finding.
  if (ownerCode === otherCode) throw new NotApplicable('the server sent both phones the same code (a finding of ACC-OTP-019), so a code cannot be told apart by phone');
  t.checks.expectRefused(await other.present(ownerCode), 'invalid');
});

check('ACC-OTP-018', async (t) => {
  for (const phone of ['12ab34', '+1 555']) t.checks.expectRefused(await signInFlow(t, phone).send(), 'invalid');
});

// Quality of the codes (ASVS 5.0 6.5.3): drawn from a CSPRNG, so neither another account's code
// nor a user's earlier codes tell anything about the next one.

const SIMULTANEOUS_ACCOUNTS = 3;

check('ACC-OTP-019', async (t) => {
  const flows = await Promise.all(Array.from({ length: SIMULTANEOUS_ACCOUNTS }, () => codeFlow(t)));
  const sent = await Promise.all(flows.map((flow) => flow.send()));
  for (const ex of sent) t.checks.expectOk(ex);
  const codes = await Promise.all(flows.map((flow) => flow.read()));
  // Random 6-digit codes all alike: one chance in 10^12. A code for everybody (from the clock, or one configured) is not random.
  if (new Set(codes).size === 1) fail(`${codes.length} accounts sent codes at the same moment all got the same code: the code is not drawn at random for each`, ...sent.slice(0, 2));
});

const SUCCESSIVE_CODES = 3;

check('ACC-OTP-020', async (t) => {
  const flow = await codeFlow(t);
  const codes: string[] = [];
  let last: Exchange | undefined;
  for (let i = 0; i < SUCCESSIVE_CODES; i++) {
    last = await flow.send();
    t.checks.expectOk(last);
    codes.push(await flow.read());
  }
  if (new Set(codes).size < codes.length || codes.some((c) => !/^\d+$/.test(c))) {
    throw new NotApplicable('successive codes repeat (the live code sent again, or one code for everybody: ACC-OTP-019) or are not numbers, so they cannot be compared as a sequence');
  }
  const pattern = codeSequence(codes);
  if (pattern) fail(`${codes.length} codes sent one after the other to one user ${pattern}: the next code can be predicted from the last`, ...(last ? [last] : []));
});
