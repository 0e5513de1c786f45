/**
 * A password reset, whichever way the profile's API does it (profile `resetStyle`):
 * - code: request a code, then identifier + code + new password (seed 000);
 * - three-step: request a code, trade identifier + code for a reset token, then token + new
 *   password (seed 004);
 * - link: request a mail with a uid and a token, then uid + token + new password (djoser);
 * - token: request a mail with one token (`…/choose_password?token=…`), then token + new password
 *   (Parse Server); the identifier too where the profile maps resetConfirm.identifier.
 * Specs speak of "the reset secret" and "resetting with it"; only this module knows the steps
 * (doctor too goes through it, with the API and OTP source of its own: a ResetContext).
 */
import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../harness/check.js';
import { fail } from '../checks.js';
import { registerSecret } from '../wire/mask.js';
import type { Exchange } from '../wire/http.js';
import { wrongCode, type OtpChannel } from './otp.js';
import type { Account } from './users.js';
import type { TargetProfile } from '../wire/profile.js';

/** What reading a reset secret and resetting with it need: a check's context is one, doctor makes its own. */
export type ResetContext = Pick<CheckContext, 'api' | 'profile' | 'otp'>;

/** A code (code, three-step), the uid and token of a reset mail (link), or its one token (token). */
export type ResetSecret = { readonly code: string } | { readonly uid?: string; readonly token: string };

export function requestReset(t: CheckContext, account: Account, by: OtpChannel = 'email'): Promise<Exchange> {
  return t.api.call('resetRequest', { fields: { identifier: account[by] } });
}

/** Requests a reset and expects it accepted. */
export async function requestResetOk(t: CheckContext, account: Account, by: OtpChannel = 'email'): Promise<void> {
  t.checks.expectOk(await requestReset(t, account, by));
}

/** The secret the last reset request sent out of band. */
export async function readResetSecret(t: ResetContext, account: Pick<Account, OtpChannel>, by: OtpChannel = 'email'): Promise<ResetSecret> {
  const req = { identifier: account[by], channel: by, purpose: 'reset' } as const;
  if (t.profile.resetStyle === 'link') return t.otp.readLink(req);
  if (t.profile.resetStyle === 'token') return { token: await t.otp.readToken(req) };
  return { code: await t.otp.read(req) };
}

/** Whether the profile's reset secret is a token mailed in a link (styles link and token), not a code. */
export function mailsToken(profile: Pick<TargetProfile, 'resetStyle'>): boolean {
  return profile.resetStyle === 'link' || profile.resetStyle === 'token';
}

/** A secret that is surely wrong: not the real one, when the real one is known. */
export function wrongSecret(t: CheckContext, real: ResetSecret | null): ResetSecret {
  if (!mailsToken(t.profile)) return { code: wrongCode(real && 'code' in real ? real.code : null) };
  const known = real && 'token' in real ? real : null;
  // The right uid (link) with a forged token: only the token is wrong.
  const token = known ? `${known.token.slice(0, -1)}${known.token.endsWith('0') ? '1' : '0'}` : `forged-${randomBytes(8).toString('hex')}`;
  return t.profile.resetStyle === 'link' ? { uid: known?.uid ?? 'MQ', token } : { token };
}

/**
 * Why a secret cannot be presented for another account, or null when it can: a token reset
 * whose confirmation names no account (no resetConfirm.identifier) resets whichever account the
 * token was issued to, so there is no other account to present it for.
 */
export function crossSecretUnsendable(t: CheckContext): string | null {
  return t.profile.resetStyle === 'token' && !t.profile.request.resetConfirm?.identifier
    ? `the ${t.profile.name} profile resets a password with the token alone (its resetConfirm names no identifier): a token cannot be presented for another account`
    : null;
}

/** The owner's secret presented for the victim: the owner's code or token (under the victim's identifier), or the owner's token under the victim's uid. */
export function crossSecret(owner: ResetSecret, victim: ResetSecret): ResetSecret {
  return 'token' in owner && 'token' in victim && victim.uid !== undefined ? { uid: victim.uid, token: owner.token } : owner;
}

export function sameSecret(a: ResetSecret, b: ResetSecret): boolean {
  return 'code' in a && 'code' in b ? a.code === b.code : 'token' in a && 'token' in b && a.token === b.token;
}

/** The reset token a verified code is traded for (three-step); fails the check when the answer has none. */
export function resetTokenOf(t: ResetContext, verified: Exchange): string {
  const token = t.api.read(verified, 'resetToken');
  if (typeof token !== 'string' || token === '') fail('the verified code was answered without a reset token', verified);
  // It sets a password: masked in every report like a password.
  return registerSecret(token);
}

/** The three-step reset's middle step: identifier + code → reset token. */
export function verifyResetCode(t: ResetContext, account: Pick<Account, 'email'>, code: string): Promise<Exchange> {
  return t.api.call('resetVerify', { fields: { identifier: account.email, code } });
}

/** The last step with a reset token (three-step). */
export function confirmWithToken(t: ResetContext, resetToken: string, next: string, confirm = next): Promise<Exchange> {
  return t.api.call('resetConfirm', { fields: { resetToken, newPassword: next, newPasswordConfirm: confirm } });
}

/**
 * Resets the password with a secret, all steps. The answer returned is the decisive one: the
 * refusal of whichever step refused, else the last step's.
 */
export async function resetPassword(t: ResetContext, account: Pick<Account, 'email'>, secret: ResetSecret, next: string, confirm = next): Promise<Exchange> {
  const passwords = { newPassword: next, newPasswordConfirm: confirm };
  // The identifier goes with a token only where the profile maps it (an API that asks for both).
  if ('token' in secret) return t.api.call('resetConfirm', { fields: { uid: secret.uid, token: secret.token, identifier: secret.uid === undefined ? account.email : undefined, ...passwords } });
  if (t.profile.resetStyle === 'code') return t.api.call('resetConfirm', { fields: { identifier: account.email, code: secret.code, ...passwords } });
  const verified = await verifyResetCode(t, account, secret.code);
  if (verified.status === null || verified.status >= 300) return verified;
  return confirmWithToken(t, resetTokenOf(t, verified), next, confirm);
}
