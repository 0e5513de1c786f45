/**
 * Sliding-window counters, on the server clock (so the clock hook can move past a window).
 * Seed §OTP Verification: "Rate limited on backend"; past the limit the answer is 429 with
 * Retry-After, the seconds until the window frees (RFC 6585 §4).
 */
export interface Rate {
  readonly limit: number;
  readonly windowMs: number;
  /** Fault permanent-lockout: hits never leave the window (Retry-After still names one). */
  readonly permanent?: boolean;
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  private recent(key: string, rate: Rate, nowMs: number): number[] {
    const kept = (this.hits.get(key) ?? []).filter((t) => rate.permanent || t > nowMs - rate.windowMs);
    if (kept.length) this.hits.set(key, kept);
    else this.hits.delete(key);
    return kept;
  }

  /** Seconds until the key is under the limit again; 0 when it is under the limit now. */
  retryAfter(key: string, rate: Rate, nowMs: number): number {
    const recent = this.recent(key, rate, nowMs);
    if (recent.length < rate.limit) return 0;
    const oldest = recent[recent.length - rate.limit] as number;
    return Math.max(1, Math.ceil((rate.permanent ? rate.windowMs : oldest + rate.windowMs - nowMs) / 1000));
  }

  record(key: string, rate: Rate, nowMs: number): void {
    this.hits.set(key, [...this.recent(key, rate, nowMs), nowMs]);
  }
}
