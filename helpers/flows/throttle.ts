/**
 * Bounded hammering for the brute-force checks: send until the first throttled answer, never
 * more than the bound (the issue's ~110 requests per check).
 *
 * A throttled answer counts only when it is the subject's throttle, not a limit on everything
 * (a gateway's global rate limit, which a slow attacker stays under). With a control request
 * (another operation of the same user), each throttled answer is put to the test: the subject
 * and the control are sent together, twice; the throttle is the subject's only when the subject
 * is refused and the control answered both times. Otherwise the refusal was not about the
 * subject: it is not counted as an attempt, the wait it asks for is honoured, and hammering
 * goes on.
 */
import { Inconclusive } from '../outcome.js';
import type { Api } from '../wire/api.js';
import { parseRetryAfter, THROTTLE_STATUSES, type Exchange } from '../wire/http.js';
import { successStatuses } from '../wire/profile.js';
import { attemptLogin, loginId, type Account } from './users.js';

/** Answers that mean "throttled": Too Many Requests, or Locked for lockout schemes. */
export const THROTTLED = [429, 423];

export interface Hammering {
  /** The first throttled answer, if any. */
  readonly throttled?: Exchange;
  readonly attempts: number;
  readonly last?: Exchange;
  /** The throttle is a lockout: no 429 or 423, but the right password refused afterwards. */
  readonly lockout?: boolean;
}

/** Throttled answers that were not the subject's own, tolerated before the check gives up as inconclusive. */
const UNRELATED_LIMIT = 30;
const MAX_WAIT_S = 10;

const isThrottled = (ex: Exchange): boolean => ex.status !== null && THROTTLED.includes(ex.status);

/** A request of the same user that no brute-force throttle of the subject refuses: reading the profile, else an unknown path. */
export function controlRequest(api: Api, access: string): () => Promise<Exchange> {
  if (api.profile.operations.me) return () => api.call('me', { credential: { token: access }, retryOnRateLimit: false });
  return () => api.unknownEndpoint({ retryOnRateLimit: false });
}

async function subjectsOwn(send: (i: number) => Promise<Exchange>, i: number, control: () => Promise<Exchange>): Promise<Exchange | undefined> {
  let own: Exchange | undefined;
  for (let round = 0; round < 2; round++) {
    const [subject, other] = await Promise.all([send(i), control()]);
    if (!isThrottled(subject) || other.status === null || THROTTLE_STATUSES.includes(other.status)) return undefined;
    own ??= subject;
  }
  return own;
}

export async function hammer(limit: number, send: (i: number) => Promise<Exchange>, control?: () => Promise<Exchange>): Promise<Hammering> {
  let last: Exchange | undefined;
  let unrelated = 0;
  for (let i = 1; i <= limit; i++) {
    last = await send(i);
    if (isThrottled(last)) {
      if (!control) return { throttled: last, attempts: i, last };
      const own = await subjectsOwn(send, i, control);
      if (own) return { throttled: own, attempts: i, last: own };
      if (++unrelated > UNRELATED_LIMIT) {
        throw new Inconclusive(`the target throttled this check: ${last.status} to the subject and to other requests alike, ${unrelated} times, so no throttle of the subject could be told apart`);
      }
      const wait = Math.min(parseRetryAfter(last.headers['retry-after']) ?? 1, MAX_WAIT_S);
      await new Promise((r) => setTimeout(r, wait * 1000));
      // This refusal was not a failed attempt: the attempt is made again.
      i--;
      continue;
    }
    // A target that stopped answering cannot be hammered further.
    if (last.status === null) return { attempts: i, last };
  }
  return { attempts: limit, last };
}

/** Seconds to wait according to Retry-After (delta-seconds or an HTTP date); undefined when absent. */
export function retryAfterSeconds(ex: Exchange): number | undefined {
  return parseRetryAfter(ex.headers['retry-after']);
}

/**
 * Failed logins for one account, up to `limit`, until throttled. Where no answer was throttled
 * (429, 423), a lockout is looked for, as stacks that lock the account answer every login like a
 * wrong password (Parse Server's accountLockout, django-axes): the right password, refused now
 * while the account's own token still reads it, is the lockout. It is sent once, at the end: a
 * success would reset the failure count of many lockout schemes.
 */
export async function failedLogins(api: Api, account: Account, wrong: string, limit: number): Promise<Hammering> {
  const control = controlRequest(api, account.access);
  const result = await hammer(limit, () => attemptLogin(api, loginId(api.profile, account), wrong, false), control);
  if (result.throttled || result.last?.status === null) return result;
  const right = await attemptLogin(api, loginId(api.profile, account), account.password, false);
  if (right.status === null || successStatuses(api.profile, 'login').includes(right.status) || isThrottled(right)) return result;
  const other = await control();
  if (other.status === null || other.status >= 300) return result;
  return { throttled: right, attempts: result.attempts, last: right, lockout: true };
}
