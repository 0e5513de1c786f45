/**
 * A sliding-window counter for the `rate-limit` quirk. Seed §OTP Verification: "Rate limited
 * on backend"; a 429 with Retry-After is an allowed answer past the limit.
 */
export const RATE_LIMIT = 5;
export const RATE_WINDOW_MS = 60_000;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  private recent(key: string, nowMs: number): number[] {
    const kept = (this.hits.get(key) ?? []).filter((t) => t > nowMs - RATE_WINDOW_MS);
    if (kept.length) this.hits.set(key, kept);
    else this.hits.delete(key);
    return kept;
  }

  /** Seconds until the key is under the limit again; 0 when it is under the limit now. */
  retryAfter(key: string, nowMs: number): number {
    const recent = this.recent(key, nowMs);
    if (recent.length < RATE_LIMIT) return 0;
    const oldest = recent[recent.length - RATE_LIMIT] as number;
    return Math.max(1, Math.ceil((oldest + RATE_WINDOW_MS - nowMs) / 1000));
  }

  record(key: string, nowMs: number): void {
    this.hits.set(key, [...this.recent(key, nowMs), nowMs]);
  }
}
