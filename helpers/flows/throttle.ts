/**
 * Bounded hammering for the brute-force checks: send until the first throttled answer, never
 * more than the bound (the issue's ~110 requests per check).
 */
import type { Exchange } from '../wire/http.js';

/** Answers that mean "throttled": Too Many Requests, or Locked for lockout schemes. */
export const THROTTLED = [429, 423];

export interface Hammering {
  /** The first throttled answer, if any. */
  readonly throttled?: Exchange;
  readonly attempts: number;
  readonly last?: Exchange;
}

export async function hammer(limit: number, send: (i: number) => Promise<Exchange>): Promise<Hammering> {
  let last: Exchange | undefined;
  for (let i = 1; i <= limit; i++) {
    last = await send(i);
    if (last.status !== null && THROTTLED.includes(last.status)) return { throttled: last, attempts: i, last };
    // A target that stopped answering cannot be hammered further.
    if (last.status === null) return { attempts: i, last };
  }
  return { attempts: limit, last };
}

/** Seconds to wait according to Retry-After (delta-seconds or an HTTP date); undefined when absent. */
export function retryAfterSeconds(ex: Exchange): number | undefined {
  const value = ex.headers['retry-after'];
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
