/**
 * Fires N requests at once. The connections are opened first (one warm-up request per slot,
 * all in flight together, so the pool holds N open keep-alive sockets), then every request is
 * launched in the same tick: the server sees them as close together as one client can send.
 * The concurrency bound does not hold them back (they are sent together), and a throttling
 * target is handled here: a race the target refused whole is fired again once it allows; a race
 * with fewer than two contenders answered proves nothing, so the check is inconclusive.
 */
import { Inconclusive } from '../outcome.js';
import type { Api } from '../wire/api.js';
import { parseRetryAfter, sendTogether, THROTTLE_STATUSES, type Exchange } from '../wire/http.js';

export const RACE_WIDTH = 8;

/** Rounds fired before a race the target refuses whole is given up. */
const RACE_ROUNDS = 4;

const throttledAnswer = (ex: Exchange): boolean => ex.status !== null && THROTTLE_STATUSES.includes(ex.status);

export async function fireTogether(api: Api, n: number, request: (i: number) => Promise<Exchange>): Promise<Exchange[]> {
  for (let round = 1; ; round++) {
    const answers = await sendTogether(async () => {
      await Promise.all(Array.from({ length: n }, () => api.unknownEndpoint()));
      return Promise.all(Array.from({ length: n }, (_, i) => request(i)));
    });
    const refused = answers.filter(throttledAnswer);
    // A request the target throttled never reached the API: a race refused whole changed nothing and can be fired again.
    if (refused.length === answers.length && round < RACE_ROUNDS) {
      const wait = Math.max(...refused.map((ex) => parseRetryAfter(ex.headers['retry-after']) ?? round / 2));
      await new Promise((r) => setTimeout(r, Math.min(wait, 10) * 1000));
      continue;
    }
    const marked = answers.map((ex) => (throttledAnswer(ex) ? { ...ex, throttled: { status: ex.status as number, retries: round - 1 } } : ex));
    if (answers.length - refused.length < 2) {
      const first = refused[0] as Exchange;
      throw new Inconclusive(`the target throttled this check: ${first.status} to ${refused.length} of ${answers.length} simultaneous requests (${round} ${round === 1 ? 'round' : 'rounds'}), so fewer than two raced`);
    }
    return marked;
  }
}

/** Counts the answers by status, for a verdict message: `201×1, 400×7`. */
export function tally(answers: readonly Exchange[]): string {
  const counts = new Map<string, number>();
  for (const ex of answers) {
    const key = ex.status === null ? `no answer (${ex.failure ?? '?'})` : String(ex.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, v]) => `${k}×${v}`).join(', ');
}
